"""The programme's PDF brand: font, colours and author, shared by certificates and the kit."""

import importlib.resources
from functools import cache

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "NotoSans"
BRAND = HexColor("#0b5a43")
INK = HexColor("#1b1f24")
MUTED = HexColor("#4a5560")
AUTHOR = "Vi möts resfritt – Dalarnas 15 kommuner"


@cache
def register_font() -> str:
    """Embed Noto Sans (OFL), which covers å, ä, ö, ễ, Ł and the rest of extended Latin."""
    path = importlib.resources.files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT
