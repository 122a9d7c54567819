"""The kit's documents and the attendance sheet as PDFs (reportlab platypus)."""

import io
from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape

from babel.dates import format_datetime, format_time
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
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
    AUTHOR,
    BRAND,
    FONT,
    INK,
    MUTED,
    TableTags,
    TaggedCanvas,
    TaggedList,
    TaggedParagraph,
    register_font,
)
from app.core.qr import draw_qr
from app.core.text import swedish_key
from app.core.time import STOCKHOLM
from app.training.kit import Block, Run, kit_blocks

LINE = HexColor("#c9d2cd")
WASH = HexColor("#f3f6f4")
AFTER_SESSION = (
    "Efter tillfället: markera närvaron på plattformen (eller låt deltagarna checka in "
    "själva), så räknas utbildningen i kommunens uppföljning."
)


def _styles() -> dict[str, ParagraphStyle]:
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


def _markup(runs: list[Run], bold: bool = False) -> str:
    """reportlab paragraph markup for runs of text (inline code in the body font: no Courier)."""
    parts = []
    for run in runs:
        text = "<br/>" if run.text == "\n" else escape(run.text)
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold or bold:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


def _flowables(blocks: list[Block], styles) -> list[Flowable]:
    """Tagged flowables for a kit document's blocks: H2–H4, P, L › LI › Lbl + LBody, Table."""
    flowables = []
    for block in blocks:
        if block.kind == "heading":
            style = styles["h2" if block.level == 2 else "h3"]
            flowables.append(TaggedParagraph(_markup(block.runs), style, tag=f"H{block.level}"))
        elif block.kind == "paragraph":
            flowables.append(TaggedParagraph(_markup(block.runs), styles["body"]))
        elif block.kind == "list":
            items = [
                ListItem(TaggedParagraph(_markup(runs), styles["body"], tag="LBody"), leftIndent=12)
                for runs in block.items
            ]
            kind = "1" if block.ordered else "bullet"
            flowables.append(TaggedList(items, bulletType=kind, bulletFontName=FONT, leftIndent=14))
        elif block.kind == "table":
            rows = [
                [Paragraph(_markup(runs, bold=header), styles["cell"]) for runs, header in row]
                for row in block.rows
            ]
            leading = (n for n, row in enumerate(block.rows) if not all(h for _, h in row))
            header_rows = next(leading, len(block.rows))  # the first rows, if all TH
            flowables.append(_table(rows, header=True, header_rows=header_rows))
    return flowables


def _table(rows: list[list], header: bool, widths=None, header_rows: int | None = None) -> Table:
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


def _document(buffer, title: str, subject: str) -> SimpleDocTemplate:
    """An A4 document; build it with `_build` so that it is tagged."""
    return SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author=AUTHOR,
        subject=subject, leftMargin=20 * mm, rightMargin=20 * mm,
        topMargin=18 * mm, bottomMargin=18 * mm,
    )  # fmt: skip


def _build(document: SimpleDocTemplate, story: list[Flowable], footer: str) -> None:
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


def kit_document_pdf(title: str, html: str) -> bytes:
    """A kit document (rendered lesson HTML) as a typeset A4 PDF."""
    styles = _styles()
    story = [
        TaggedParagraph("VI MÖTS RESFRITT · UTBILDNINGSPAKET", styles["small"]),
        Spacer(1, 4),
        TaggedParagraph(escape(title), styles["h1"], tag="H1"),
        *_flowables(kit_blocks(html), styles),
    ]
    buffer = io.BytesIO()
    document = _document(buffer, title, "Utbildningspaket för mötesagenter")
    _build(document, story, f"Vi möts resfritt – {title}")
    return buffer.getvalue()


class _QrFlowable(Flowable):
    """A QR code of `size` points, tagged as a Figure with `alt` as its alternative text."""

    def __init__(self, text: str, size: float, alt: str):
        super().__init__()
        self.text, self.size, self.alt = text, size, alt
        self.width = self.height = size

    def draw(self):
        with self.canv.figure(self.alt, 0, 0, self.size, self.size):
            draw_qr(self.canv, self.text, 0, 0, self.size)


def local_time(moment: datetime) -> str:
    """ "1 dec. 2026 09:00" style, in Swedish time."""
    return format_datetime(moment.astimezone(STOCKHOLM), "d MMMM y 'kl.' HH:mm", locale="sv")


def attendance_sheet_pdf(training_session, agent_name: str, names: Iterable[str], check_in_url: str,
                         blank_rows: int = 8) -> bytes:  # fmt: skip
    """The session's attendance sheet: details, names A–Ö, blank rows, signatures, check-in QR."""
    styles = _styles()
    end = format_time(training_session.ends_at.astimezone(STOCKHOLM), "HH:mm", locale="sv")
    check_in_page = check_in_url.split("?")[0]
    details = [
        TaggedParagraph(
            f"<b>När:</b> {escape(local_time(training_session.starts_at))}–{end}", styles["body"]
        ),
        TaggedParagraph(f"<b>Var:</b> {escape(training_session.place)}", styles["body"]),
        TaggedParagraph(f"<b>Utbildare:</b> {escape(agent_name)}", styles["body"]),
        TaggedParagraph(
            f"<b>Incheckning:</b> skanna koden eller skriv <b>{training_session.check_in_code}</b> "
            f"på {escape(check_in_page)}",
            styles["body"],
        ),
    ]
    qr = _QrFlowable(check_in_url, 30 * mm, f"QR-kod till incheckningen: {check_in_page}")
    # A layout table (not tagged as a table): its paragraphs and the QR code tag themselves.
    header = Table([[details, qr]], colWidths=[130 * mm, 40 * mm])
    header.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)])
    )
    rows = [
        [
            Paragraph(f"<b>{label}</b>", styles["cell"])
            for label in ("Nr", "Namn", "Närvarande", "Signatur")
        ]
    ]
    listed = sorted(names, key=swedish_key)  # A–Ö
    for number, name in enumerate(listed, start=1):
        rows.append([str(number), Paragraph(escape(name), styles["cell"]), "", ""])
    for number in range(len(listed) + 1, len(listed) + blank_rows + 1):
        rows.append([str(number), "", "", ""])
    table = _table(rows, header=True, widths=[12 * mm, 78 * mm, 26 * mm, 54 * mm])
    roomy = [("FONTSIZE", (0, 1), (-1, -1), 10), ("TOPPADDING", (0, 1), (-1, -1), 7),
             ("BOTTOMPADDING", (0, 1), (-1, -1), 7)]  # fmt: skip
    table.setStyle(TableStyle(roomy))
    story = [
        TaggedParagraph("VI MÖTS RESFRITT · NÄRVAROLISTA", styles["small"]),
        Spacer(1, 4),
        TaggedParagraph(escape(training_session.title), styles["h1"], tag="H1"),
        header,
        Spacer(1, 8),
        table,
        Spacer(1, 6),
        TaggedParagraph(AFTER_SESSION, styles["small"]),
    ]
    buffer = io.BytesIO()
    document = _document(
        buffer, f"Närvarolista: {training_session.title}", "Närvarolista för utbildningstillfälle"
    )
    _build(document, story, f"Närvarolista – {training_session.title}")
    return buffer.getvalue()
