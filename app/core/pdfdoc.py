"""Branded, tagged A4 documents (reportlab platypus): styles, tables, the page and its footer.

The kit's documents, the attendance sheet and the yearly effect report are built with these, so
they look alike and are all tagged (see `app.core.pdf`).
"""

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from app.core.pdf import AUTHOR, BRAND, FONT, INK, MUTED, TableTags, TaggedCanvas, register_font

LINE = HexColor("#c9d2cd")
WASH = HexColor("#f3f6f4")


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles: body, h1–h3, small, cell."""
    register_font()
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=10.5, leading=15, textColor=INK, spaceAfter=6
    )
    return {
        "body": base,
        "h1": ParagraphStyle("h1", base, fontSize=20, leading=25, textColor=BRAND, spaceAfter=10),
        "h2": ParagraphStyle(
            "h2", base, fontSize=14, leading=18, textColor=BRAND, spaceBefore=10, spaceAfter=5
        ),
        "h3": ParagraphStyle("h3", base, fontSize=11.5, leading=15, spaceBefore=6, spaceAfter=3),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=9.5, leading=12, spaceAfter=0),
    }


def table(rows: list[list], header: bool, widths=None, header_rows: int | None = None) -> Table:
    """A tagged table; `header` shades and repeats the first row, `header_rows` are TH cells."""
    header_rows = int(header) if header_rows is None else header_rows
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT",
                  renderCB=TableTags(header_rows))  # fmt: skip
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), WASH if header else None),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))  # fmt: skip
    return table


def a4_document(buffer, title: str, subject: str) -> SimpleDocTemplate:
    """An A4 document; build it with `build` so that it is tagged."""
    return SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author=AUTHOR,
        subject=subject, leftMargin=20 * mm, rightMargin=20 * mm,
        topMargin=18 * mm, bottomMargin=18 * mm,
    )  # fmt: skip


def build(document: SimpleDocTemplate, story: list[Flowable], footer: str) -> None:
    """Typeset the story on a tagged canvas, the running footer as an artifact on every page."""

    def draw_footer(canvas, doc):
        with canvas.artifact("Pagination", "Footer"):
            canvas.saveState()
            canvas.setFont(FONT, 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(20 * mm, 10 * mm, footer)
            canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Sida {doc.page}")
            canvas.restoreState()

    document.build(
        story, onFirstPage=draw_footer, onLaterPages=draw_footer, canvasmaker=TaggedCanvas
    )
