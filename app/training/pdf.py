"""The kit's documents and the attendance sheet as tagged PDFs (built with app.core.pdfdoc)."""

import io
from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape

from babel.dates import format_datetime, format_time

from app.core.pdf import TaggedParagraph, mm
from app.core.pdfdoc import (
    Flowable,
    QrFigure,
    a4_document,
    build,
    cell,
    header_cells,
    side_by_side,
    space,
    table,
    tagged_list,
    title_block,
)
from app.core.pdfdoc import styles as document_styles
from app.core.text import swedish_key
from app.core.time import STOCKHOLM
from app.training.kit import Block, Run, kit_blocks

AFTER_SESSION = (
    "Efter tillfället: markera närvaron på plattformen (eller låt deltagarna checka in "
    "själva), så räknas utbildningen i kommunens uppföljning."
)


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
            items = [_markup(runs) for runs in block.items]
            flowables.append(tagged_list(items, styles["body"], ordered=block.ordered))
        elif block.kind == "table":
            rows = [
                [cell(_markup(runs, bold=header), styles["cell"]) for runs, header in row]
                for row in block.rows
            ]
            leading = (n for n, row in enumerate(block.rows) if not all(h for _, h in row))
            header_rows = next(leading, len(block.rows))  # the first rows, if all TH
            flowables.append(table(rows, header=True, header_rows=header_rows))
    return flowables


def kit_document_pdf(title: str, html: str) -> bytes:
    """A kit document (rendered lesson HTML) as a typeset A4 PDF."""
    styles = document_styles()
    story = [
        *title_block("VI MÖTS RESFRITT · UTBILDNINGSPAKET", title, styles),
        *_flowables(kit_blocks(html), styles),
    ]
    buffer = io.BytesIO()
    document = a4_document(buffer, title, "Utbildningspaket för mötesagenter")
    build(document, story, f"Vi möts resfritt – {title}")
    return buffer.getvalue()


def local_time(moment: datetime) -> str:
    """ "1 dec. 2026 09:00" style, in Swedish time."""
    return format_datetime(moment.astimezone(STOCKHOLM), "d MMMM y 'kl.' HH:mm", locale="sv")


def attendance_sheet_pdf(training_session, agent_name: str, names: Iterable[str], check_in_url: str,
                         blank_rows: int = 8) -> bytes:  # fmt: skip
    """The session's attendance sheet: details, names A–Ö, blank rows, signatures, check-in QR."""
    styles = document_styles()
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
    qr = QrFigure(check_in_url, 30 * mm, f"QR-kod till incheckningen: {check_in_page}")
    # Side by side, not tagged as a table: its paragraphs and the QR code tag themselves.
    header = side_by_side([details, qr], [130 * mm, 40 * mm])
    rows = [header_cells(("Nr", "Namn", "Närvarande", "Signatur"), styles["cell"])]
    listed = sorted(names, key=swedish_key)  # A–Ö
    for number, name in enumerate(listed, start=1):
        rows.append([str(number), cell(escape(name), styles["cell"]), "", ""])
    for number in range(len(listed) + 1, len(listed) + blank_rows + 1):
        rows.append([str(number), "", "", ""])
    roomy = [("FONTSIZE", (0, 1), (-1, -1), 10), ("TOPPADDING", (0, 1), (-1, -1), 7),
             ("BOTTOMPADDING", (0, 1), (-1, -1), 7)]  # fmt: skip
    sheet = table(rows, header=True, widths=[12 * mm, 78 * mm, 26 * mm, 54 * mm], style=roomy)
    story = [
        *title_block("VI MÖTS RESFRITT · NÄRVAROLISTA", training_session.title, styles),
        header,
        space(8),
        sheet,
        space(6),
        TaggedParagraph(AFTER_SESSION, styles["small"]),
    ]
    buffer = io.BytesIO()
    document = a4_document(
        buffer, f"Närvarolista: {training_session.title}", "Närvarolista för utbildningstillfälle"
    )
    build(document, story, f"Närvarolista – {training_session.title}")
    return buffer.getvalue()
