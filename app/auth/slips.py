"""Activation slips: one A4 page, four slips, each with a person's name, address and link as text
and QR code, for staff who rarely read e-mail (the coordinator prints and hands them out)."""

import io
from collections.abc import Iterable

from app.core.pdf import A4, BRAND, FONT, INK, MUTED, TaggedCanvas, mm
from app.core.qr import draw_qr

SLIPS_PER_PAGE = 4


def activation_slips_pdf(people: Iterable[tuple[str, str, str]], municipality: str) -> bytes:
    """A tagged PDF of slips for (name, email, link) triples, in the order given."""
    buffer = io.BytesIO()
    canvas = TaggedCanvas(buffer, pagesize=A4)
    canvas.setTitle(f"Aktiveringslänkar – {municipality}")
    canvas.setSubject("Personliga länkar för att aktivera kontot i Vi möts resfritt")
    width, height = A4
    slip = height / SLIPS_PER_PAGE
    count = 0
    for index, (name, email, link) in enumerate(people):
        position = index % SLIPS_PER_PAGE
        if index and position == 0:
            canvas.showPage()
        top = height - position * slip
        _slip(canvas, name, email, link, top, slip, width)
        count += 1
    if count == 0:
        with canvas.tagged("P"):
            canvas.setFont(FONT, 12)
            canvas.drawString(20 * mm, height - 30 * mm, "Alla har redan valt lösenord.")
    canvas.save()
    return buffer.getvalue()


def _slip(canvas: TaggedCanvas, name: str, email: str, link: str, top: float, slip: float, width):
    """One slip: a section with its heading, the person, the instructions, the link and its QR."""
    left = 18 * mm
    with canvas.artifact():  # the line to cut along
        canvas.setStrokeColor(MUTED)
        canvas.setDash(3, 3)
        canvas.line(10 * mm, top - slip, width - 10 * mm, top - slip)
        canvas.setDash()
    with canvas.element("Sect"):
        with canvas.tagged("H1"):
            canvas.setFillColor(BRAND)
            canvas.setFont(FONT, 15)
            canvas.drawString(left, top - 18 * mm, "Vi möts resfritt – aktivera ditt konto")
        with canvas.tagged("P"):
            canvas.setFillColor(INK)
            canvas.setFont(FONT, 13)
            canvas.drawString(left, top - 28 * mm, name)
        lines = [
            f"Du loggar in med: {email}",
            "Skanna QR-koden eller skriv in adressen nedan",
            "och välj ett lösenord (minst 12 tecken).",
            "Länken är personlig, fungerar en gång",
            "och gäller i 14 dagar.",
        ]
        with canvas.tagged("P"):
            canvas.setFont(FONT, 10.5)
            for number, line in enumerate(lines):
                canvas.drawString(left, top - (36 + 5 * number) * mm, line)
        with canvas.tagged("P"):
            canvas.setFont(FONT, 7.5)
            canvas.setFillColor(MUTED)
            for number, start in enumerate(range(0, len(link), 95)):
                canvas.drawString(left, top - (63 + 4 * number) * mm, link[start : start + 95])
        size = 44 * mm
        with canvas.figure(
            f"QR-kod med den personliga länken för {name}", width - 58 * mm, top - 62 * mm,
            size, size,
        ):  # fmt: skip
            draw_qr(canvas, link, width - 58 * mm, top - 62 * mm, size)
