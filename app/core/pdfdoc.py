"""Branded, tagged A4 documents (reportlab platypus): styles, tables, the page and its footer.

The kit's documents, the attendance sheet and the yearly effect report are built with these, so
they look alike and are all tagged (see `app.core.pdf`).
"""

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.core.pdf import (
    A4,
    AUTHOR,
    BRAND,
    FONT,
    INK,
    MUTED,
    TableTags,
    TaggedCanvas,
    TaggedList,
    TaggedParagraph,
    colour,
    mm,
    register_font,
)
from app.core.qr import draw_qr

LINE = colour("#c9d2cd")
WASH = colour("#f3f6f4")


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


def title_block(kicker: str, title: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The small programme line (`kicker`, markup) above the document's H1 title (plain text)."""
    return [
        TaggedParagraph(kicker, styles["small"]),
        Spacer(1, 4),
        TaggedParagraph(escape(title), styles["h1"], tag="H1"),
    ]


def space(height: float) -> Spacer:
    """Vertical space of `height` points between flowables."""
    return Spacer(1, height)


def cell(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph in a table cell, untagged: the cell (TH/TD) is its structure element."""
    return Paragraph(markup, style)


def header_cells(labels: list[str] | tuple[str, ...], style: ParagraphStyle) -> list[Paragraph]:
    """A table's header row: each label (plain text) in bold."""
    return [cell(f"<b>{escape(label)}</b>", style) for label in labels]


def tagged_list(items: list[str], style: ParagraphStyle, ordered: bool) -> TaggedList:
    """A numbered or bulleted list of paragraphs (markup), tagged L › LI › Lbl + LBody."""
    return TaggedList(
        [ListItem(TaggedParagraph(markup, style, tag="LBody"), leftIndent=12) for markup in items],
        bulletType="1" if ordered else "bullet",
        bulletFontName=FONT,
        leftIndent=14,
    )


def table(rows: list[list], header: bool, widths=None, header_rows: int | None = None,
          style: list[tuple] | None = None) -> Table:  # fmt: skip
    """A tagged table; `header` shades and repeats the first row, `header_rows` are TH cells.

    `style` adds reportlab table style commands, such as ("ALIGN", (1, 0), (-1, -1), "RIGHT").
    """
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
    if style:
        table.setStyle(TableStyle(style))
    return table


def side_by_side(cells: list, widths: list[float]) -> Table:
    """A layout table (not tagged as a table): one row of cells whose content tags itself."""
    layout = Table([cells], colWidths=widths)
    layout.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)])
    )
    return layout


class QrFigure(Flowable):
    """A QR code of `size` points, tagged as a Figure with `alt` as its alternative text."""

    def __init__(self, text: str, size: float, alt: str):
        super().__init__()
        self.text, self.size, self.alt = text, size, alt
        self.width = self.height = size

    def draw(self):
        """Draw the code as the content of its Figure."""
        with self.canv.figure(self.alt, 0, 0, self.size, self.size):
            draw_qr(self.canv, self.text, 0, 0, self.size)


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
