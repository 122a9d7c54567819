"""The programme's PDF brand, and tagged (accessible, PDF/UA-1) PDFs drawn with reportlab.

With `app.core.pdfdoc` this is the only place that imports reportlab: the domains draw through
`TaggedCanvas` and the names here (page sizes, `mm`, colours, text width, tagged flowables).
"""

# reportlab draws but does not tag. `TaggedCanvas` wraps each logical block in marked content
# (BDC/EMC with an MCID) that belongs to a structure element, marks decorations as artifacts, and
# at save adds the structure tree, ParentTree, StructParents, MarkInfo, Lang, DisplayDocTitle and
# XMP metadata to reportlab's own object model, so a document is still written in one pass. The
# flowables at the end tag platypus documents (paragraphs, lists, tables) the same way.

import importlib.resources
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget as QrCodeWidget  # encodes for core.qr
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm as mm  # the millimetre in points, for layouts
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
    PDFtrue,
    PDFZCompress,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ListFlowable, Paragraph
from reportlab.platypus.flowables import LIIndenter
from reportlab.platypus.tables import TableRenderCB

FONT = "NotoSans"
BRAND = HexColor("#0b5a43")
INK = HexColor("#1b1f24")
MUTED = HexColor("#4a5560")
AUTHOR = "Vi möts resfritt – Dalarnas 15 kommuner"
CREATOR = "Vi möts resfritt"
LANG = "sv-SE"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
A4_LANDSCAPE = landscape(A4)


def colour(code: str) -> Color:
    """A colour from its "#rrggbb" code."""
    return HexColor(code)


@cache
def register_font() -> str:
    """Embed Noto Sans (OFL), which covers å, ä, ö, ễ, Ł and the rest of extended Latin."""
    path = importlib.resources.files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def text_width(text: str, size: float) -> float:
    """The width in points of `text` set in Noto Sans at `size`."""
    return pdfmetrics.stringWidth(text, register_font(), size)


@dataclass(eq=False, slots=True)
class _Element:
    """A structure element: its type, parent, PDF entries, and kids (elements or (page, MCID))."""

    kind: str
    parent: "_Element | None"
    entries: dict
    kids: list = field(default_factory=list)
    page: str | None = None


class Slot:
    """The one structure element of a block drawn in pieces (split over pages), once created."""

    __slots__ = ("element",)

    def __init__(self):
        self.element: _Element | None = None


def _entries(alt=None, actual_text=None, scope=None, bbox=None) -> dict:
    """Structure element entries: /Alt, /ActualText, a table header's /Scope, a figure's /BBox."""
    entries = {}
    if alt is not None:
        entries["Alt"] = PDFString(alt)
    if actual_text is not None:
        entries["ActualText"] = PDFString(actual_text)
    if scope is not None:
        entries["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(scope)})
    if bbox is not None:
        entries["A"] = PDFDictionary({"O": PDFName("Layout"), "BBox": PDFArray(bbox)})
    return entries


class TaggedCanvas(Canvas):
    """A reportlab canvas that writes a tagged PDF in Swedish with only the embedded Noto Sans."""

    # Structure elements nest as opened; content drawn inside `marked` belongs to the innermost
    # one, content inside `artifact` to none. Once marked content or an artifact is open, further
    # tags inside it are ignored: what is drawn there belongs to it.

    def __init__(self, filename, **kwargs):
        register_font()
        kwargs |= {"lang": LANG, "initialFontName": FONT, "pdfVersion": (1, 7)}
        super().__init__(filename, **kwargs)
        self.setAuthor(AUTHOR)
        self.setCreator(CREATOR)
        self.setViewerPreference("DisplayDocTitle", "true")
        self._root = _Element("Document", None, {})
        self._open: list[tuple[str, _Element | None, bool]] = []  # (what, element, written)
        self._marking = 0  # open marked-content sequences and artifacts
        self._page_marks: list[_Element] = []  # the current page's MCIDs → their elements
        self._parent_tree: list[list[_Element]] = []

    def setFont(self, psfontname, size, leading=None):
        """Set the font; one that is not embedded (reportlab's default Helvetica) is Noto Sans."""
        if not isinstance(pdfmetrics.getFont(psfontname), TTFont):
            psfontname = FONT
        super().setFont(psfontname, size, leading)

    def _element(self) -> _Element:
        return next((e for what, e, _ in reversed(self._open) if e is not None), self._root)

    def begin_element(self, kind: str, slot: Slot | None = None, **entries) -> None:
        """Open a structure element (or the slot's, again) inside the current one."""
        if self._marking:
            self._open.append(("element", None, False))
            return
        element = slot.element if slot is not None else None
        if element is None:
            parent = self._element()
            element = _Element(kind, parent, _entries(**entries))
            parent.kids.append(element)
            if slot is not None:
                slot.element = element
        self._open.append(("element", element, False))

    def begin_marked(self) -> None:
        """Start content of the current structure element: marked content with the next MCID."""
        if self._marking:
            self._open.append(("marked", None, False))
            return
        element, page, mcid = self._element(), self._doc.thisPageName(), len(self._page_marks)
        self._page_marks.append(element)
        element.kids.append((page, mcid))
        element.page = element.page or page
        self._code.append(f"/{element.kind} <</MCID {mcid}>> BDC")
        self._open.append(("marked", None, True))
        self._marking += 1

    def begin_artifact(self, kind: str = "Layout", subtype: str | None = None) -> None:
        """Start an artifact: decoration, rule or running footer that is not content."""
        if self._marking:
            self._open.append(("artifact", None, False))
            return
        extra = f" /Subtype /{subtype}" if subtype else ""
        self._code.append(f"/Artifact <</Type /{kind}{extra}>> BDC")
        self._open.append(("artifact", None, True))
        self._marking += 1

    def end(self, what: str) -> None:
        """Close the innermost element, marked content or artifact (`what` says which)."""
        opened, _, written = self._open.pop()
        if opened != what:
            raise RuntimeError(f"closing {what} while {opened} is open")
        if written:
            self._code.append("EMC")
            self._marking -= 1

    @contextmanager
    def element(self, kind: str, slot: Slot | None = None, **entries):
        """A structure element around what is drawn inside."""
        self.begin_element(kind, slot, **entries)
        yield
        self.end("element")

    @contextmanager
    def tagged(self, kind: str, slot: Slot | None = None, **entries):
        """A structure element whose content is what is drawn inside."""
        self.begin_element(kind, slot, **entries)
        self.begin_marked()
        yield
        self.end("marked")
        self.end("element")

    @contextmanager
    def artifact(self, kind: str = "Layout", subtype: str | None = None):
        """An artifact around what is drawn inside."""
        self.begin_artifact(kind, subtype)
        yield
        self.end("artifact")

    def figure(self, alt: str, x: float, y: float, width: float, height: float):
        """A Figure with alternative text and its bounding box on the page."""
        a, b, c, d, e, f = self._currentMatrix
        corners = [(x, y), (x + width, y), (x, y + height), (x + width, y + height)]
        xs = [a * u + c * v + e for u, v in corners]
        ys = [b * u + d * v + f for u, v in corners]
        bbox = [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)]
        return self.tagged("Figure", alt=alt, bbox=bbox)

    def fill_grid(self, runs, cells: int, x: float, y: float, size: float) -> None:
        """Fill (row, column, length) runs of a `cells`-wide grid on a square as one black path."""
        # Row 0 is on top; the square has side `size` at (x, y). The runs are whole-number
        # rectangles in the grid's own units (one transform maps them onto the page), which
        # spares formatting hundreds of decimal coordinates (a QR code's dark modules).
        box = size / cells
        rects = " ".join(f"{column} {row} {length} 1 re" for row, column, length in runs)
        grid = f"{box:.4f} 0 0 {-box:.4f} {x:.2f} {y + size:.2f} cm"
        self.addLiteral(f"q 0 g {grid} {rects} f Q")

    def showPage(self):
        """End the page, giving it its ParentTree key (StructParents) and structure tab order."""
        if self._marking:
            raise RuntimeError("marked content is still open at the end of the page")
        super().showPage()
        page = self._doc.Pages.pages[-1]
        # Flate only: reportlab's default ASCII85 layer on top costs time and a quarter in size.
        page.Contents = PDFStream(
            content=page.stream, filters=[PDFZCompress] if page.compression else []
        )
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = len(self._parent_tree)
        page.Tabs = PDFName("S")
        self._parent_tree.append(self._page_marks)
        self._page_marks = []

    def save(self):
        """Finish the last page, add the structure tree and metadata, and write the PDF."""
        if self._open:
            raise RuntimeError(f"{self._open[-1][0]} is still open")
        if len(self._code):
            self.showPage()
        self._add_structure()
        super().save()

    def _add_structure(self):
        doc, catalog = self._doc, self._doc.Catalog
        tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        names: dict[_Element | None, str] = {None: doc.Reference(tree_root).name}
        for element in _walk(self._root):
            names[element] = doc.Reference(_Written(_write_element, element, names)).name
        parent_tree = _Written(_write_parent_tree, self._parent_tree, names)
        tree_root.dict.update(
            K=PDFObjectReference(names[self._root]),
            ParentTree=doc.Reference(parent_tree),
            ParentTreeNextKey=len(self._parent_tree),
        )
        catalog.StructTreeRoot = tree_root
        catalog.MarkInfo = PDFDictionary({"Marked": PDFtrue})
        info = doc.info
        catalog.Metadata = PDFStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            content=xmp(info.title, info.author, info.subject, info.producer, info.creator),
            filters=[],
        )


class _Written(PDFObject):
    """A structure tree object written straight as PDF syntax (a print pack has thousands)."""

    def __init__(self, write, *args):
        self.write, self.args = write, args

    def format(self, document):
        return self.write(*self.args, document)


def _walk(element: _Element):
    yield element
    for kid in element.kids:
        if isinstance(kid, _Element):
            yield from _walk(kid)


def _ref(document, name: str) -> str:
    number, generation = document.idToObjectNumberAndVersion[name]
    return f"{number} {generation} R"


def _write_element(element: _Element, names: dict, document) -> bytes:
    """A structure element: its kids are elements, MCIDs on its page, or marked-content refs."""
    kids = []
    for kid in element.kids:
        if isinstance(kid, _Element):
            kids.append(_ref(document, names[kid]))
        elif kid[0] == element.page:
            kids.append(str(kid[1]))
        else:
            kids.append(f"<</Type /MCR /Pg {_ref(document, kid[0])} /MCID {kid[1]}>>")
    text = f"<</Type /StructElem /S /{element.kind} /P {_ref(document, names[element.parent])}"
    if element.page:
        text += f" /Pg {_ref(document, element.page)}"
    if kids:
        text += f" /K [{' '.join(kids)}]"
    entries = [b" /%s %s" % (key.encode(), pdf_format(value, document))
               for key, value in element.entries.items()]  # fmt: skip
    return text.encode() + b"".join(entries) + b">>"


def _write_parent_tree(pages: list[list[_Element]], names: dict, document) -> bytes:
    """The ParentTree: for each page's StructParents key, the element of each MCID in order."""
    entries = (
        f"{key} [{' '.join(_ref(document, names[element]) for element in marks)}]"
        for key, marks in enumerate(pages)
    )
    return f"<</Nums [{' '.join(entries)}]>>".encode()


def xmp(title: str, author: str, subject: str, producer: str, creator: str) -> bytes:
    """XMP metadata: Dublin Core title, author, subject and language; PDF/UA-1 identification."""

    def text(value) -> str:
        return escape(_NOT_XML.sub("", str(value)))

    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{text(author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(subject)}</rdf:li></rdf:Alt>\
</dc:description>
<dc:language><rdf:Bag><rdf:li>{LANG}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>{text(producer)}</pdf:Producer>
<xmp:CreatorTool>{text(creator)}</xmp:CreatorTool>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


class TaggedParagraph(Paragraph):
    """A Paragraph drawn as one structure element (P, H1, LBody…), also when split over pages."""

    def __init__(self, text, style=None, *args, tag: str = "P", **kwargs):
        super().__init__(text, style, *args, **kwargs)
        self.tag, self.slot = tag, Slot()

    def split(self, availWidth, availHeight):
        """The parts, which share this paragraph's structure element."""
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.tag, part.slot = self.tag, self.slot
        return parts

    def drawOn(self, canvas, x, y, _sW=0):
        """Draw as the content of its structure element."""
        with canvas.tagged(self.tag, slot=self.slot):
            super().drawOn(canvas, x, y, _sW)


class _TaggedItem(LIIndenter):
    """A list item (one flowable) tagged LI inside its list's L, its bullet or number as Lbl."""

    _IndenterAttrs = [*LIIndenter._IndenterAttrs, "_list", "_item"]

    @classmethod
    def of(cls, indenter: LIIndenter, list_slot: Slot, item_slot: Slot) -> "_TaggedItem":
        object.__setattr__(indenter, "__class__", cls)  # LIIndenter forwards other attributes
        indenter._list, indenter._item = list_slot, item_slot
        return indenter

    def split(self, aW, aH):
        return [self.of(part, self._list, self._item) for part in super().split(aW, aH)]

    def drawOn(self, canv, x, y, _sW=0):
        with canv.element("L", slot=self._list), canv.element("LI", slot=self._item):
            if self._bullet:
                with canv.tagged("Lbl"):
                    self._bullet.drawOn(self, canv, x, y, 0)
            width = max(0, _sW - self._leftIndent - self._rightIndent)
            self._flowable.drawOn(canv, x + self._leftIndent, y, width)


class TaggedList(ListFlowable):
    """A ListFlowable tagged L › LI › Lbl + the item's flowable (a TaggedParagraph tagged LBody)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot = Slot()

    def _makeLIIndenter(self, flowable, bullet, params=None):
        item = super()._makeLIIndenter(flowable, bullet, params)
        return _TaggedItem.of(item, self.slot, Slot())


class TableTags(TableRenderCB):
    """Tags a platypus Table while it draws: Table › TR › TH/TD, grid and shading as artifacts."""

    # One instance is the table's `renderCB`; the parts of a split table share it, so they make one
    # Table element, and header rows repeated on later pages are artifacts.

    def __init__(self, header_rows: int = 1):
        self.slot, self.header_rows, self.parts_drawn, self.repeat = Slot(), header_rows, 0, False

    def startTable(self, T):
        T.canv.begin_element("Table", self.slot)

    def startBG(self, T):
        T.canv.begin_artifact()

    def endBG(self, T):
        T.canv.end("artifact")

    def startRow(self, T, rowNo):
        self.repeat = self.parts_drawn > 0 and rowNo < T.repeatRows  # a copy on a later page
        if self.repeat:
            T.canv.begin_artifact()
        else:
            T.canv.begin_element("TR")

    def startCell(self, T, rowNo, colNo, cellval, cellstyle, pos, size):
        header = self.parts_drawn == 0 and rowNo < self.header_rows
        T.canv.begin_element("TH" if header else "TD", scope="Column" if header else None)
        T.canv.begin_marked()

    def endCell(self, T):
        T.canv.end("marked")
        T.canv.end("element")

    def endRow(self, T):
        T.canv.end("artifact" if self.repeat else "element")

    def startLines(self, T):
        T.canv.begin_artifact()

    def endLines(self, T):
        T.canv.end("artifact")

    def endTable(self, T):
        self.parts_drawn += 1
        T.canv.end("element")
