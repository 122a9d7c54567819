"""The kit's documents and the attendance sheet: tagged PDFs, and the kit as editable DOCX."""

import io
from datetime import UTC, datetime
from types import SimpleNamespace

import docx
import pytest

from app.core.roles import Role
from app.training.kit import kit_blocks, kit_documents
from app.training.kit_docx import DOCX, kit_document_docx
from app.training.pdf import AFTER_SESSION, attendance_sheet_pdf, kit_document_pdf
from tests.support import COURSES_DIR
from tests.support.pdf_tags import assert_accessible, in_order, visual_texts

DOCUMENTS = kit_documents(str(COURSES_DIR))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def plain(runs) -> str:
    return " ".join("".join(run.text for run in runs).split())


def test_the_kit_has_its_four_documents():
    slugs = ["lektionsplan", "deltagarmaterial", "inbjudan", "vanliga-fragor"]
    assert [document.slug for document in DOCUMENTS] == slugs


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.slug)
def test_kit_pdf_is_tagged_like_its_html(document):
    blocks = kit_blocks(document.html)
    data = kit_document_pdf(document.title, document.html)
    tagged = assert_accessible(data)
    assert tagged.title == document.title
    root = tagged.root
    headings = [(node.kind, node.own_text) for node in root.walk() if node.kind[:1] == "H"]
    assert headings == [("H1", document.title)] + [
        (f"H{block.level}", plain(block.runs)) for block in blocks if block.kind == "heading"
    ]
    paragraphs = [plain(block.runs) for block in blocks if block.kind == "paragraph"]
    assert [node.own_text for node in root.find("P")] == [
        "VI MÖTS RESFRITT · UTBILDNINGSPAKET",
        *paragraphs,
    ]
    lists = [block for block in blocks if block.kind == "list"]
    assert len(root.find("L")) == len(lists) > 0
    for block, element in zip(lists, root.find("L"), strict=True):
        items = element.find("LI")
        assert [item.find("LBody")[0].own_text for item in items] == [
            plain(runs) for runs in block.items
        ]
        labels = [item.find("Lbl")[0].own_text for item in items]
        expected = (
            [str(n) for n in range(1, len(items) + 1)] if block.ordered else ["•"] * len(items)
        )
        assert labels == expected
    tables = [block for block in blocks if block.kind == "table"]
    assert len(root.find("Table")) == len(tables)
    for block, element in zip(tables, root.find("Table"), strict=True):
        rows = [[node.own_text for node in row.kids] for row in element.find("TR")]
        assert rows == [[plain(runs) for runs, _ in row] for row in block.rows]
        assert [node.kind for node in element.find("TR")[0].kids] == ["TH"] * len(rows[0])
    for text in visual_texts(data):
        assert in_order(text, [heading for _, heading in headings]), text


def test_kit_pdf_tags_every_kind_of_block():
    html = (
        "<h2>Del</h2><p>Ett <strong>fett</strong> och <em>kursivt</em> ord.</p>"
        "<ol><li>ett</li><li>två</li></ol><h3>Tabell</h3>"
        "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )
    root = assert_accessible(kit_document_pdf("Prov", html)).root
    assert root.outline() == [
        ("P", "VI MÖTS RESFRITT · UTBILDNINGSPAKET"),
        ("H1", "Prov"),
        ("H2", "Del"),
        ("P", "Ett fett och kursivt ord."),
        ("Lbl", "1"),
        ("LBody", "ett"),
        ("Lbl", "2"),
        ("LBody", "två"),
        ("H3", "Tabell"),
        ("TH", "A"),
        ("TH", "B"),
        ("TD", "1"),
        ("TD", "2"),
    ]


def test_a_long_table_without_header_cells_is_one_table_of_data_cells():
    rows = "".join(f"<tr><td>rad {n}</td><td>{n}</td></tr>" for n in range(80))
    data = kit_document_pdf("Tabell", f"<table><tbody>{rows}</tbody></table>")
    (table,) = assert_accessible(data).root.find("Table")
    cells = [[cell.own_text for cell in row.kids] for row in table.find("TR")]
    assert cells == [[f"rad {n}", str(n)] for n in range(80)], "the repeated first row is no copy"
    assert {cell.kind for cell in table.walk()} == {"Table", "TR", "TD"}
    assert len({page for cell in table.find("TD") for page in cell.pages}) > 1, "split"


def sheet(names: list[str]) -> bytes:
    training_session = SimpleNamespace(
        title="Resfria möten i vardagen",
        starts_at=datetime(2026, 12, 1, 8, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        place="Rådhuset, sal 3",
        check_in_code="K7P4Q2",
    )
    url = "https://vimots.example/checkin?code=K7P4Q2"
    return attendance_sheet_pdf(training_session, "Łukasz Ärlig", names, url)


def test_attendance_sheet_is_tagged_with_one_table_over_its_pages():
    names = ["Örjan Ål", "Anna Berg", *(f"Deltagare {n:02}" for n in range(30))]
    data = sheet(names)
    tagged = assert_accessible(data)
    assert tagged.title == "Närvarolista: Resfria möten i vardagen"
    root = tagged.root
    assert root.outline()[:6] == [
        ("P", "VI MÖTS RESFRITT · NÄRVAROLISTA"),
        ("H1", "Resfria möten i vardagen"),
        ("P", "När: 1 december 2026 kl. 09:00–10:30"),
        ("P", "Var: Rådhuset, sal 3"),
        ("P", "Utbildare: Łukasz Ärlig"),
        ("P", "Incheckning: skanna koden eller skriv K7P4Q2 på https://vimots.example/checkin"),
    ]
    (figure,) = root.find("Figure")
    assert figure.alt == "QR-kod till incheckningen: https://vimots.example/checkin"
    (table,) = root.find("Table")
    rows = [[cell.own_text for cell in row.kids] for row in table.find("TR")]
    assert rows[0] == ["Nr", "Namn", "Närvarande", "Signatur"], "the header once, not repeated"
    assert [cell.kind for cell in table.find("TR")[0].kids] == ["TH"] * 4
    assert all(cell.scope == "Column" for cell in table.find("TH"))
    assert len(rows) == 1 + len(names) + 8
    listed = [row[1] for row in rows[1 : len(names) + 1]]
    assert listed[0] == "Anna Berg" and listed[-1] == "Örjan Ål", "A–Ö"
    assert rows[-1] == [str(len(names) + 8), "", "", ""]
    assert {page for row in table.find("TR") for cell in row.kids for page in cell.pages} == {0, 1}
    assert root.outline()[-1] == ("P", AFTER_SESSION)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.slug)
def test_kit_docx_has_word_structure_in_swedish(document):
    blocks = kit_blocks(document.html)
    word = docx.Document(io.BytesIO(kit_document_docx(document.title, document.html)))
    assert word.core_properties.title == document.title
    assert word.core_properties.language == "sv-SE"
    defaults = word.styles.element.find(f"{W}docDefaults").find(f".//{W}lang")
    assert defaults.get(f"{W}val") == "sv-SE"
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs]
    expected = [("Heading 1", document.title)]
    for block in blocks:
        if block.kind == "heading":
            expected.append((f"Heading {block.level}", plain(block.runs)))
        elif block.kind == "paragraph":
            expected.append(("Normal", plain(block.runs)))
        elif block.kind == "list":
            style = "List Number" if block.ordered else "List Bullet"
            expected += [(style, plain(runs)) for runs in block.items]
    assert [(style, " ".join(text.split())) for style, text in paragraphs] == expected
    tables = [block for block in blocks if block.kind == "table"]
    assert len(word.tables) == len(tables)
    for block, table in zip(tables, word.tables, strict=True):
        assert [[cell.text for cell in row.cells] for row in table.rows] == [
            [plain(runs) for runs, _ in row] for row in block.rows
        ]
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None, "a header row"


def test_each_numbered_list_in_docx_starts_at_one():
    html = "<ol><li>a</li><li>b</li></ol><p>Mellan</p><ol><li>c</li></ol>"
    word = docx.Document(io.BytesIO(kit_document_docx("Listor", html)))
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2], "two lists, two numberings"
    numbering = word.part.numbering_part.element
    for num_id in {num_ids[0], num_ids[2]}:
        (start,) = numbering.num_having_numId(num_id).xpath("./w:lvlOverride/w:startOverride")
        assert start.val == 1


def test_kit_docx_download_is_for_certified_agents(client, auth, create_user, certified_agent):
    auth.login_as(create_user(role=Role.AGENT))
    assert client.get("/kit/lektionsplan.docx").status_code == 403
    auth.logout()
    auth.login_as(certified_agent)
    assert "/kit/lektionsplan.docx" in client.get("/kit/").get_data(as_text=True)
    response = client.get("/kit/lektionsplan.docx")
    assert response.status_code == 200 and response.headers["Content-Type"] == DOCX
    assert response.headers["Cache-Control"] == "no-store"
    assert "lektionsplan.docx" in response.headers["Content-Disposition"]
    word = docx.Document(io.BytesIO(response.data))
    assert word.paragraphs[0].text == "Lektionsplan för slutanvändarutbildningen"
    assert client.get("/kit/finns-inte.docx").status_code == 404
