"""Certificate PDFs are tagged: headings, paragraphs and a described QR code, in reading order."""

import io
from datetime import UTC, datetime

from app.certificates.pdf import CertificatePage, certificate_pdf, write_pages
from tests.support.pdf_tags import assert_accessible, in_order, visual_texts


def page(number: int = 1, trainer: str | None = "Łukasz Ärlig") -> CertificatePage:
    return CertificatePage(
        holder_name=f"Åsa Öberg-Nguyễn {number}",
        course_title="Slutanvändarutbildning",
        course_version=2,
        issued_at=datetime(2026, 11, 26, 10, tzinfo=UTC),
        municipality_name="Falun",
        trainer_name=trainer,
        code=f"ABCD2345EFG{number}",
        verify_url=f"https://vimots.example/verify/ABCD2345EFG{number}",
    )


def test_certificate_structure_in_reading_order():
    data = certificate_pdf(page())
    tagged = assert_accessible(data)
    assert tagged.title == "Intyg: Slutanvändarutbildning – Åsa Öberg-Nguyễn 1"
    (section,) = tagged.root.find("Sect")
    assert section.find("P")[0].actual_text == "Vi möts resfritt", "not letter by letter"
    assert section.outline() == [
        ("P", "VI MÖTS RESFRITT"),
        ("P", "Dalarnas 15 kommuner – utbildning för resfria möten"),
        ("H1", "Intyg"),
        ("P", "Härmed intygas att"),
        ("P", "Åsa Öberg-Nguyễn 1"),
        ("P", "har genomfört"),
        ("P", "Slutanvändarutbildning"),
        ("P", "Datum: 26 november 2026 · Kommun: Falun · Kursversion: 2"),
        ("P", "Utbildare: Łukasz Ärlig, mötesagent"),
        ("P", "Programkontoret, Vi möts resfritt"),
        ("P", "Kontrollera intyget"),
        ("P", "https://vimots.example/verify/ABCD2345EFG1"),
        ("P", "Verifieringskod: ABCD-2345-EFG1"),
    ]
    (figure,) = section.find("Figure")
    assert section.kids[-1] is figure
    assert (
        figure.alt
        == "QR-kod till intygets kontrollsida: https://vimots.example/verify/ABCD2345EFG1"
    )
    x0, y0, x1, y1 = figure.bbox
    assert round(x1 - x0) == round(y1 - y0) == 92
    for text in visual_texts(data):
        assert in_order(text, ["Intyg", "Härmed intygas att", "Åsa Öberg-Nguyễn 1", "har genomfört",
                               "Slutanvändarutbildning", "Datum:", "Utbildare:"]), text  # fmt: skip


def test_print_pack_tags_each_certificate_as_a_section_of_its_page():
    buffer = io.BytesIO()
    count = write_pages((page(number, None) for number in range(3)), buffer, title="Intyg Falun")
    tagged = assert_accessible(buffer.getvalue())
    sections = tagged.root.find("Sect")
    assert count == len(sections) == 3
    for number, section in enumerate(sections):
        assert section.find("H1")[0].own_text == "Intyg"
        assert section.find("P")[3].own_text == f"Åsa Öberg-Nguyễn {number}"
        assert {p for node in section.walk() for p in node.pages} == {number}
        assert section.find("Figure")[0].alt.endswith(f"/verify/ABCD2345EFG{number}")
        assert "Utbildare" not in section.text
