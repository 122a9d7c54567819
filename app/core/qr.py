"""QR codes encoded by reportlab's QR widget (via core.pdf): drawn on a tagged canvas, or as SVG."""

import itertools

from app.core.pdf import QrCodeWidget, TaggedCanvas

QR_MASK = 2  # any of 0–7 is valid
QR_QUIET_ZONE = 2  # modules of white around the code (the white page adds more)


def qr_modules(text: str) -> list[list[bool]]:
    """The dark/light modules of the QR code for `text`, row by row."""
    encoder = QrCodeWidget(text, barLevel="M").qr
    encoder.version = encoder.calculate_version()
    encoder.makeImpl(False, QR_MASK)
    return [[bool(module) for module in row] for row in encoder.modules]


def _runs(modules: list[list[bool]]):
    """(row, column, length) of each horizontal run of dark modules."""
    for row_index, row in enumerate(modules):
        column = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                yield row_index, column, length
            column += length


def draw_qr(canvas: TaggedCanvas, url: str, x: float, y: float, size: float) -> None:
    """A QR code for `url`, encoded by reportlab's own QR widget, drawn as one filled path.

    The widget's own drawing makes a shape object per module and tries all eight masks, which
    costs ~60 ms a page; any of the eight masks is a valid QR code, so one is fixed. The runs of
    dark modules are filled as one path of whole-number rectangles in the code's own grid
    (`TaggedCanvas.fill_grid`), which spares formatting ~200 decimal coordinates per code.
    """
    modules = qr_modules(url)
    runs = (
        (row + QR_QUIET_ZONE, column + QR_QUIET_ZONE, length)
        for row, column, length in _runs(modules)
    )
    canvas.fill_grid(runs, len(modules) + 2 * QR_QUIET_ZONE, x, y, size)


def qr_svg_path(text: str) -> tuple[int, str]:
    """The viewBox size and the path data of an SVG QR code (for pages; no script needed)."""
    modules = qr_modules(text)
    size = len(modules) + 2 * QR_QUIET_ZONE
    path = "".join(
        f"M{column + QR_QUIET_ZONE} {row + QR_QUIET_ZONE}h{length}v1h-{length}z"
        for row, column, length in _runs(modules)
    )
    return size, path
