"""The kit's documents and the attendance sheet as PDFs (reportlab platypus)."""

import io
from collections.abc import Iterable
from datetime import datetime
from html.parser import HTMLParser
from xml.sax.saxutils import escape

from babel.dates import format_datetime, format_time
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.core.pdf import AUTHOR, BRAND, FONT, INK, MUTED, register_font
from app.core.qr import draw_qr
from app.core.text import swedish_key
from app.core.time import STOCKHOLM

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


class _HtmlToFlowables(HTMLParser):
    """Turn the sanitised lesson HTML (headings, paragraphs, lists, tables) into flowables."""

    INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i", "code": "font face='Courier'"}

    def __init__(self, styles):
        super().__init__(convert_charrefs=True)
        self.styles, self.flowables = styles, []
        self.text, self.block = "", None
        self.lists: list[list] = []
        self.table: list[list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3", "h4", "p", "li", "td", "th"):
            self.text, self.block = "", tag
        elif tag in ("ul", "ol"):
            self.lists.append([])
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in self.INLINE:
            self.text += f"<{self.INLINE[tag]}>"
        elif tag == "br":
            self.text += "<br/>"

    def handle_endtag(self, tag):
        if tag in self.INLINE:
            self.text += f"</{self.INLINE[tag].split()[0]}>"
        elif tag in ("td", "th") and self.table is not None:
            style = self.styles["cell"]
            self.table[-1].append(
                Paragraph(f"<b>{self.text}</b>" if tag == "th" else self.text, style)
            )
        elif tag == "table" and self.table:
            self.flowables.append(_table(self.table, header=True))
            self.table = None
        elif tag == "li" and self.lists:
            self.lists[-1].append(
                ListItem(Paragraph(self.text, self.styles["body"]), leftIndent=12)
            )
        elif tag in ("ul", "ol") and self.lists:
            items = self.lists.pop()
            kind = "bullet" if tag == "ul" else "1"
            self.flowables.append(
                ListFlowable(items, bulletType=kind, bulletFontName=FONT, leftIndent=14)
            )
        elif tag in ("h2", "h3", "h4", "p") and self.block == tag:
            style = self.styles["h3" if tag == "h4" else tag if tag != "p" else "body"]
            self.flowables.append(Paragraph(self.text, style))
        if tag in ("h2", "h3", "h4", "p", "li", "td", "th"):
            self.text, self.block = "", None

    def handle_data(self, data):
        if self.block is not None:
            self.text += escape(data)


def _table(rows: list[list], header: bool, widths=None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
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
    return SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author=AUTHOR,
        subject=subject, lang="sv", leftMargin=20 * mm, rightMargin=20 * mm,
        topMargin=18 * mm, bottomMargin=18 * mm,
    )  # fmt: skip


def _footer(text: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(20 * mm, 10 * mm, text)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Sida {doc.page}")
        canvas.restoreState()

    return draw


def kit_document_pdf(title: str, html: str) -> bytes:
    """A kit document (rendered lesson HTML) as a typeset A4 PDF."""
    styles = _styles()
    parser = _HtmlToFlowables(styles)
    parser.feed(html)
    story = [
        Paragraph("VI MÖTS RESFRITT · UTBILDNINGSPAKET", styles["small"]),
        Spacer(1, 4),
        Paragraph(escape(title), styles["h1"]),
        *parser.flowables,
    ]
    buffer = io.BytesIO()
    footer = _footer(f"Vi möts resfritt – {title}")
    _document(buffer, title, "Utbildningspaket för mötesagenter").build(
        story, onFirstPage=footer, onLaterPages=footer
    )
    return buffer.getvalue()


class _QrFlowable(Flowable):
    """A QR code of `size` points."""

    def __init__(self, text: str, size: float):
        super().__init__()
        self.text, self.size = text, size
        self.width = self.height = size

    def draw(self):
        draw_qr(self.canv, self.text, 0, 0, self.size)


def local_time(moment: datetime) -> str:
    """ "1 dec. 2026 09:00" style, in Swedish time."""
    return format_datetime(moment.astimezone(STOCKHOLM), "d MMMM y 'kl.' HH:mm", locale="sv")


def attendance_sheet_pdf(training_session, agent_name: str, names: Iterable[str], check_in_url: str,
                         blank_rows: int = 8) -> bytes:  # fmt: skip
    """The session's attendance sheet: details, names A–Ö, blank rows, signatures, check-in QR."""
    styles = _styles()
    end = format_time(training_session.ends_at.astimezone(STOCKHOLM), "HH:mm", locale="sv")
    details = [
        Paragraph(
            f"<b>När:</b> {escape(local_time(training_session.starts_at))}–{end}", styles["body"]
        ),
        Paragraph(f"<b>Var:</b> {escape(training_session.place)}", styles["body"]),
        Paragraph(f"<b>Utbildare:</b> {escape(agent_name)}", styles["body"]),
        Paragraph(
            f"<b>Incheckning:</b> skanna koden eller skriv <b>{training_session.check_in_code}</b> "
            f"på {escape(check_in_url.split('?')[0])}",
            styles["body"],
        ),
    ]
    header = Table([[details, _QrFlowable(check_in_url, 30 * mm)]], colWidths=[130 * mm, 40 * mm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
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
        Paragraph("VI MÖTS RESFRITT · NÄRVAROLISTA", styles["small"]),
        Spacer(1, 4),
        Paragraph(escape(training_session.title), styles["h1"]),
        header,
        Spacer(1, 8),
        table,
        Spacer(1, 6),
        Paragraph(AFTER_SESSION, styles["small"]),
    ]
    buffer = io.BytesIO()
    footer = _footer(f"Närvarolista – {training_session.title}")
    _document(
        buffer, f"Närvarolista: {training_session.title}", "Närvarolista för utbildningstillfälle"
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
