"""Certificate PDFs: one tagged A4 landscape page per certificate, and print packs."""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from babel.dates import format_date

from app.certificates.codes import display_code
from app.core.pdf import A4_LANDSCAPE, BRAND, FONT, INK, MUTED, TaggedCanvas, colour, text_width
from app.core.qr import draw_qr
from app.core.time import STOCKHOLM

PAGE = A4_LANDSCAPE
ACCENT = colour("#f2c14e")
PROGRAMME = "Vi möts resfritt"


@dataclass(frozen=True)
class CertificatePage:
    """What one certificate page shows."""

    holder_name: str
    course_title: str
    course_version: int
    issued_at: datetime
    municipality_name: str | None
    trainer_name: str | None
    code: str
    verify_url: str


def swedish_date(moment: datetime) -> str:
    """ "26 november 2026", in Swedish time."""
    return format_date(moment.astimezone(STOCKHOLM).date(), "d MMMM y", locale="sv")


def certificate_pdf(page: CertificatePage) -> bytes:
    """One certificate as a PDF document."""
    buffer = io.BytesIO()
    title = f"Intyg: {page.course_title} – {page.holder_name}"
    write_pages([page], buffer, title=title)
    return buffer.getvalue()


def write_pages(pages: Iterable[CertificatePage], output: BinaryIO, title: str) -> int:
    """Draw the certificates one page each into `output`; return the number of pages.

    Pages are drawn as the iterable yields them, so rows can stream from the database.
    """
    canvas = TaggedCanvas(output, pagesize=PAGE, pageCompression=1, invariant=0)
    canvas.setTitle(title)
    canvas.setSubject(f"Intyg från utbildningen {PROGRAMME}")
    count = 0
    for page in pages:
        with canvas.element("Sect"):
            draw_certificate(canvas, page)
        canvas.showPage()
        count += 1
    canvas.save()
    return count


def _fit(text: str, size: float, max_width: float, minimum: float = 12) -> float:
    """The largest font size up to `size` at which the text fits the width."""
    while size > minimum and text_width(text, size) > max_width:
        size -= 1
    return size


def _centred(canvas: TaggedCanvas, text: str, y: float, size: float, colour=INK, tag="P") -> None:
    width, _ = PAGE
    with canvas.tagged(tag):
        canvas.setFont(FONT, _fit(text, size, width - 200))
        canvas.setFillColor(colour)
        canvas.drawCentredString(width / 2, y, text)


def _right(canvas: TaggedCanvas, x: float, y: float, text: str, size: float, colour) -> None:
    with canvas.tagged("P"):
        canvas.setFont(FONT, size)
        canvas.setFillColor(colour)
        canvas.drawRightString(x, y, text)


def draw_certificate(canvas: TaggedCanvas, page: CertificatePage) -> None:
    """Draw one certificate on the current page, tagged in reading order."""
    width, height = PAGE
    with canvas.artifact():
        # Frame: a broad programme-green border with a thin gold line inside.
        canvas.setStrokeColor(BRAND)
        canvas.setLineWidth(10)
        canvas.rect(24, 24, width - 48, height - 48)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.5)
        canvas.rect(40, 40, width - 80, height - 80)

    # Spaced capitals read letter by letter: the element's text is the name as written.
    with canvas.tagged("P", actual_text=PROGRAMME):
        canvas.setFont(FONT, 13)
        canvas.setFillColor(BRAND)
        canvas.drawCentredString(width / 2, height - 88, PROGRAMME.upper(), charSpace=4)
    _centred(canvas, "Dalarnas 15 kommuner – utbildning för resfria möten", height - 108, 11, MUTED)

    _centred(canvas, "Intyg", height - 175, 48, BRAND, tag="H1")
    _centred(canvas, "Härmed intygas att", height - 215, 14, MUTED)
    _centred(canvas, page.holder_name, height - 260, 34)
    with canvas.artifact():
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1)
        canvas.line(width / 2 - 160, height - 274, width / 2 + 160, height - 274)
    _centred(canvas, "har genomfört", height - 304, 14, MUTED)
    _centred(canvas, page.course_title, height - 336, 24)

    details = [f"Datum: {swedish_date(page.issued_at)}"]
    if page.municipality_name:
        details.append(f"Kommun: {page.municipality_name}")
    details.append(f"Kursversion: {page.course_version}")
    _centred(canvas, "   ·   ".join(details), height - 372, 12, INK)
    if page.trainer_name:
        _centred(canvas, f"Utbildare: {page.trainer_name}, mötesagent", height - 392, 12, INK)

    # Signature line, bottom left.
    with canvas.artifact():
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.8)
        canvas.line(90, 120, 330, 120)
    with canvas.tagged("P"):
        canvas.setFont(FONT, 10)
        canvas.setFillColor(MUTED)
        canvas.drawString(90, 105, "Programkontoret, Vi möts resfritt")

    # Verification, bottom right: the address and the code to type, and a QR code to the page.
    qr_size = 92
    text_right = width - 90 - qr_size - 14
    _right(canvas, text_right, 140, "Kontrollera intyget", 9, MUTED)
    _right(canvas, text_right, 126, page.verify_url, 9, MUTED)
    _right(canvas, text_right, 104, f"Verifieringskod: {display_code(page.code)}", 12, INK)
    x = width - 90 - qr_size
    with canvas.figure(f"QR-kod till intygets kontrollsida: {page.verify_url}", x, 72, qr_size,
                       qr_size):  # fmt: skip
        draw_qr(canvas, page.verify_url, x, 72, qr_size)
