"""The tagging layer on reportlab (app.core.pdf): structure, marked content, artifacts, fonts."""

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Table

from app.core.pdf import FONT, Slot, TaggedCanvas, TaggedParagraph, register_font
from tests.support.pdf_tags import assert_accessible, in_order, read_tagged, visual_texts


def draw(build) -> bytes:
    """A PDF drawn by `build(canvas)` on a TaggedCanvas."""
    buffer = io.BytesIO()
    canvas = TaggedCanvas(buffer, pagesize=A4)
    canvas.setTitle("Provdokument")
    build(canvas)
    canvas.save()
    return buffer.getvalue()


def test_blocks_become_elements_with_their_content_and_decorations_artifacts():
    slot = Slot()

    def build(canvas):
        with canvas.artifact():
            canvas.rect(20, 20, 500, 800)
        with canvas.tagged("H1"):
            canvas.drawString(72, 760, "Rubrik")
        with canvas.tagged("P", slot=slot):
            canvas.drawString(72, 100, "Början av stycket")
        canvas.showPage()
        with canvas.artifact("Pagination", "Header"):
            canvas.drawString(72, 810, "Sidhuvud")
        with canvas.tagged("P", slot=slot):
            canvas.drawString(72, 760, "och slutet.")
        with canvas.figure("En ruta", 72, 600, 50, 50):
            canvas.rect(72, 600, 50, 50, fill=1)

    tagged = assert_accessible(draw(build))
    (document,) = tagged.root.find("Document")
    assert [node.kind for node in document.kids] == ["H1", "P", "Figure"]
    heading, paragraph, figure = document.kids
    assert heading.own_text == "Rubrik"
    assert paragraph.own_text == "Början av stycket och slutet.", "one element over two pages"
    assert paragraph.pages == {0, 1}
    assert figure.alt == "En ruta" and figure.bbox == [72, 600, 122, 650]
    assert "Sidhuvud" not in document.text, "artifacts are not content"


def test_the_checks_find_what_plain_reportlab_gets_wrong():
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)  # untagged, and its default font is Helvetica
    canvas.drawString(72, 760, "Otaggat")
    canvas.save()
    problems = read_tagged(buffer.getvalue()).problems
    for expected in ("no StructTreeRoot", "page 0 has no StructParents",
                     "page 0: Tj outside marked content and artifacts",
                     "font /F1 (Helvetica) is a standard 14 font",
                     "font /F1 (Helvetica) is not embedded"):  # fmt: skip
        assert expected in problems


def test_tags_inside_marked_content_or_an_artifact_belong_to_it():
    def build(canvas):
        with canvas.artifact(), canvas.tagged("P"):
            canvas.drawString(72, 700, "Dekor")
        with canvas.tagged("P"), canvas.tagged("Span"):
            canvas.drawString(72, 600, "Inuti")

    tagged = assert_accessible(draw(build))
    assert tagged.root.outline() == [("P", "Inuti")]


def test_unbalanced_tagging_is_refused():
    canvas = TaggedCanvas(io.BytesIO(), pagesize=A4)
    canvas.begin_element("P")
    with pytest.raises(RuntimeError, match="closing marked while element is open"):
        canvas.end("marked")
    canvas = TaggedCanvas(io.BytesIO(), pagesize=A4)
    canvas.begin_element("P")
    canvas.begin_marked()
    with pytest.raises(RuntimeError, match="still open at the end of the page"):
        canvas.showPage()


def test_nothing_falls_back_to_helvetica():
    def build(canvas):
        with canvas.tagged("P"):
            canvas.setFont("Helvetica-Bold", 14)  # reportlab's defaults name Helvetica
            canvas.drawString(72, 700, "Fet?")

    buffer = io.BytesIO()
    # A platypus table keeps reportlab's default cell font (Helvetica) unless styled.
    story = [
        Table([["Helvetica som standard"]]),
        TaggedParagraph("Stycke", ParagraphStyle("s", fontName=register_font())),
    ]
    SimpleDocTemplate(buffer, title="Tabell").build(story, canvasmaker=TaggedCanvas)
    for data in (draw(build), buffer.getvalue()):
        assert set(read_tagged(data).fonts) == {"/AAAAAA+NotoSans-Regular"}


def test_a_paragraph_split_over_pages_is_one_element():
    buffer = io.BytesIO()
    style = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15)
    words = " ".join(f"ord{number}" for number in range(900))
    story = [TaggedParagraph("Rubrik", style, tag="H1"), TaggedParagraph(words, style)]
    SimpleDocTemplate(buffer, title="Långt stycke").build(story, canvasmaker=TaggedCanvas)
    tagged = assert_accessible(buffer.getvalue())
    (paragraph,) = tagged.root.find("P")
    assert paragraph.pages == {0, 1}
    assert paragraph.own_text.split() == words.split()


def test_layout_order_is_the_logical_order():
    def build(canvas):
        for y, text in ((760, "Första"), (700, "Andra"), (640, "Tredje")):
            with canvas.tagged("P"):
                canvas.drawString(72, y, text)

    data = draw(build)
    logical = [text for _, text in read_tagged(data).root.outline()]
    assert logical == ["Första", "Andra", "Tredje"]
    for text in visual_texts(data):
        assert in_order(text, logical), text


def test_activation_slips_are_tagged_with_a_section_per_person(app):
    from app.auth.slips import activation_slips_pdf

    people = [
        (f"Åsa Öberg {n}", f"asa{n}@falun.se", f"https://x.se/activate/{n}") for n in range(5)
    ]
    tagged = assert_accessible(activation_slips_pdf(people, "Falun"))
    sections = [kid for kid in tagged.root.kids if kid.kind == "Sect"]
    assert len(sections) == 5
    assert [kid.kind for kid in sections[0].kids] == ["H1", "P", "P", "P", "Figure"]
