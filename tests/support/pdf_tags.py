"""Read a tagged PDF back with pikepdf: structure tree, text per element, PDF/UA-1 checks."""

# veraPDF needs Java packages that cannot be installed here, so these are the machine-checkable
# rules of PDF/UA-1 (ISO 14289-1) that matter for our documents, checked on the PDF read back.

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field

import pikepdf
from pypdf import PdfReader

_TYPES = (  # the standard structure types of ISO 32000-1, 14.8.4
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 "
    "H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry "
    "Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form"
)
STANDARD_TYPES = set(_TYPES.split())
BASE_14 = {"Times", "Helvetica", "Courier", "Symbol", "ZapfDingbats"}
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "BI"}
LINE_MOVES = {"T*", "Td", "TD", "Tm", "'", '"'}


@dataclass
class Node:
    """A structure element as read back: type, entries, kids, and the text of its own content."""

    kind: str
    alt: str | None = None
    actual_text: str | None = None
    scope: str | None = None
    bbox: list[float] | None = None
    kids: list["Node"] = field(default_factory=list)
    own_text: str = ""
    pages: set[int] = field(default_factory=set)

    @property
    def text(self) -> str:
        """Its text and its descendants', in structure order."""
        parts = [self.own_text, *(kid.text for kid in self.kids)]
        return " ".join(part for part in parts if part)

    def walk(self):
        """This element and its descendants, in structure (reading) order."""
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def find(self, kind: str) -> list["Node"]:
        """Descendants (and self) of a type, in reading order."""
        return [node for node in self.walk() if node.kind == kind]

    def outline(self) -> list[tuple[str, str]]:
        """(type, text) of every element with content of its own, in reading order."""
        return [(node.kind, node.own_text) for node in self.walk() if node.own_text]


@dataclass
class Tagged:
    """A tagged PDF read back: the Document element, the document's facts, and what is wrong."""

    root: Node
    title: str
    lang: str
    display_doc_title: bool
    marked: bool
    xmp_title: str | None
    pdfua_part: str | None
    fonts: list[str]
    problems: list[str]


def _to_unicode(font) -> dict[int, str]:
    """A simple font's codes → text, from its ToUnicode CMap (bfchar and bfrange entries)."""
    mapping = {}
    if "/ToUnicode" not in font:
        return mapping
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                mapping[int(low, 16) + offset] = chr(int(start, 16) + offset)
    return mapping


def _font_problems(name: str, font) -> list[str]:
    base = str(font.get("/BaseFont", "")).lstrip("/")
    family = base.split("+")[-1].split("-")[0].split(",")[0]
    problems = [f"font {name} ({base}) is a standard 14 font"] if family in BASE_14 else []
    descriptor = font.get("/FontDescriptor")
    if font.get("/Subtype") == "/Type0":
        descriptor = font.DescendantFonts[0].get("/FontDescriptor")
    if descriptor is None or not any(f"/FontFile{n}" in descriptor for n in ("", "2", "3")):
        problems.append(f"font {name} ({base}) is not embedded")
    if "/ToUnicode" not in font:
        problems.append(f"font {name} ({base}) has no ToUnicode map")
    return problems


def _read_page(page, number: int, texts: dict, problems: list[str]) -> set[int]:
    """Collect the text of each MCID on a page; report content outside marked content or artifacts."""
    fonts = page.Resources.get("/Font", {})
    decoders = {str(name): _to_unicode(font) for name, font in fonts.items()}
    font, saved, stack, mcids = None, [], [], set()
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            saved.append(font)
        elif op == "Q":
            font = saved.pop()
        elif op == "Tf":
            font = str(operands[0])
        elif op in ("BDC", "BMC"):
            tag = str(operands[0]).lstrip("/")
            props = operands[1] if op == "BDC" else None
            mcid = (
                int(props["/MCID"])
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                else None
            )
            if mcid is not None and any(entry[0] for entry in stack):
                problems.append(f"page {number}: MCID {mcid} nested in marked content or artifact")
            if tag == "Artifact" and any(entry[1] is not None for entry in stack):
                problems.append(f"page {number}: artifact inside tagged content")
            if mcid is not None:
                if mcid in mcids:
                    problems.append(f"page {number}: MCID {mcid} used twice")
                mcids.add(mcid)
            stack.append((tag == "Artifact" or mcid is not None, mcid, tag))
        elif op == "EMC":
            stack.pop()
        if op in PAINTING and not any(entry[0] for entry in stack):
            problems.append(f"page {number}: {op} outside marked content and artifacts")
        current = next((entry[1] for entry in reversed(stack) if entry[1] is not None), None)
        if current is None:
            continue
        key, decoder = (number, current), decoders.get(font, {})
        if op in LINE_MOVES and texts.get(key, "") and not texts[key].endswith(" "):
            texts[key] = texts.get(key, "") + " "
        strings = operands[-1:] if op in ("Tj", "'", '"') else operands[0] if op == "TJ" else []
        for item in strings:
            if isinstance(item, pikepdf.String):
                text = "".join(decoder.get(code, "\ufffd") for code in bytes(item))
                if "\ufffd" in text or "\x00" in text:
                    problems.append(f"page {number}: a glyph without Unicode in {text!r}")
                texts[key] = texts.get(key, "") + text
    if stack:
        problems.append(f"page {number}: marked content left open")
    return mcids


def read_tagged(data: bytes) -> Tagged:
    """The structure tree and accessibility facts of a PDF, with every problem found."""
    pdf = pikepdf.open(io.BytesIO(data))
    root, problems, texts, fonts = pdf.Root, [], {}, []
    page_numbers = {page.objgen: number for number, page in enumerate(pdf.pages)}
    page_mcids = {}
    for number, page in enumerate(pdf.pages):
        for name, font in page.Resources.get("/Font", {}).items():
            fonts.append(str(font.get("/BaseFont", "")))
            problems += _font_problems(str(name), font)
        page_mcids[number] = _read_page(page, number, texts, problems)
        if "/StructParents" not in page.obj:
            problems.append(f"page {number} has no StructParents")

    claimed = {}  # (page, MCID) → struct element objgen

    def node_of(element, inherited_page) -> Node:
        kind = str(element.S).lstrip("/")
        if kind not in STANDARD_TYPES:
            problems.append(f"non-standard structure type {kind}")
        attributes = element.get("/A", {})
        node = Node(
            kind,
            alt=str(element.Alt) if "/Alt" in element else None,
            actual_text=str(element.ActualText) if "/ActualText" in element else None,
            scope=str(attributes.get("/Scope", "")).lstrip("/") or None,
            bbox=[float(v) for v in attributes.BBox] if "/BBox" in attributes else None,
        )
        page = page_numbers.get(element.Pg.objgen) if "/Pg" in element else inherited_page
        kids = element.get("/K", pikepdf.Array())
        own = []
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                mcid_page, mcid = page, int(kid)
            elif kid.get("/Type") == "/MCR":
                mcid_page, mcid = page_numbers[kid.Pg.objgen], int(kid.MCID)
            else:
                if kid.P.objgen != element.objgen:
                    problems.append(f"{kid.S} does not name its parent {kind}")
                node.kids.append(node_of(kid, page))
                continue
            if (mcid_page, mcid) in claimed:
                problems.append(f"MCID {mcid} on page {mcid_page} claimed twice")
            claimed[(mcid_page, mcid)] = element.objgen
            node.pages.add(mcid_page)
            own.append(texts.get((mcid_page, mcid), ""))
        node.own_text = " ".join(" ".join(own).split())
        return node

    tree = root.get("/StructTreeRoot")
    if tree is None:
        problems.append("no StructTreeRoot")
        document = Node("none")
    else:
        top = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
        if len(top) != 1 or str(top[0].S) != "/Document":
            problems.append("the structure tree does not start with one Document element")
        document = node_of(top[0], None)
        parent_tree = _number_tree(tree.ParentTree)
        for number, page in enumerate(pdf.pages):
            key = int(page.obj.get("/StructParents", -1))
            parents = parent_tree.get(key)
            for mcid in sorted(page_mcids[number]):
                if parents is None or mcid >= len(parents):
                    problems.append(f"page {number}: MCID {mcid} is not in the ParentTree")
                elif parents[mcid].objgen != claimed.get((number, mcid)):
                    problems.append(
                        f"page {number}: MCID {mcid}'s ParentTree entry does not claim it"
                    )
        for page_number, mcid in claimed:
            if mcid not in page_mcids[page_number]:
                problems.append(
                    f"page {page_number}: the tree names MCID {mcid}, not in the content"
                )
    problems += _element_problems(document)

    metadata = pdf.open_metadata()
    preferences = root.get("/ViewerPreferences", {})
    mark_info = root.get("/MarkInfo", {})
    return Tagged(
        root=document,
        title=str(pdf.docinfo.get("/Title", "")),
        lang=str(root.get("/Lang", "")),
        display_doc_title=bool(preferences.get("/DisplayDocTitle", False)),
        marked=bool(mark_info.get("/Marked", False)),
        xmp_title=metadata.get("dc:title"),
        pdfua_part=metadata.get("pdfuaid:part"),
        fonts=fonts,
        problems=problems,
    )


def _number_tree(node) -> dict[int, list]:
    entries = {}
    numbers = node.get("/Nums", [])
    for index in range(0, len(numbers), 2):
        entries[int(numbers[index])] = list(numbers[index + 1])
    for kid in node.get("/Kids", []):
        entries |= _number_tree(kid)
    return entries


def _element_problems(document: Node) -> list[str]:
    """Figures without Alt, header cells without Scope, ragged tables, skipped heading levels."""
    problems, level = [], 0
    for node in document.walk():
        if node.kind == "Figure" and not (node.alt or "").strip():
            problems.append("a Figure has no alternative text")
        if node.kind == "TH" and node.scope not in ("Column", "Row", "Both"):
            problems.append("a TH has no Scope")
        if node.kind == "Table":
            widths = {len(row.kids) for row in node.kids if row.kind == "TR"}
            if len(widths) > 1 or any(row.kind != "TR" for row in node.kids):
                problems.append(f"a Table is not rows of equally many cells: {widths}")
        if node.kind == "L" and any(kid.kind != "LI" for kid in node.kids):
            problems.append("an L holds more than LI elements")
        if node.kind == "LI" and any(kid.kind not in ("Lbl", "LBody") for kid in node.kids):
            problems.append("an LI holds more than Lbl and LBody")
        if re.fullmatch(r"H[1-6]", node.kind):
            new = int(node.kind[1])
            if new > level + 1:
                problems.append(
                    f"heading {node.kind} ('{node.own_text}') skips a level after H{level}"
                )
            level = new
    return problems


def assert_accessible(data: bytes) -> Tagged:
    """Assert what PDF/UA-1 asks that a machine can check here; return the document read back."""
    tagged = read_tagged(data)
    assert tagged.problems == []
    assert tagged.lang == "sv-SE" and tagged.marked and tagged.display_doc_title
    assert tagged.title and tagged.xmp_title == tagged.title
    assert tagged.pdfua_part == "1"
    assert tagged.fonts and all("NotoSans" in font for font in tagged.fonts), tagged.fonts
    return tagged


def in_order(text: str, expected: list[str]) -> bool:
    """Whether each expected string occurs in the text, each after the one before it."""
    position = 0
    for item in expected:
        position = text.find(item, position)
        if position < 0:
            return False
        position += len(item)
    return True


def visual_texts(data: bytes) -> list[str]:
    """The text in layout order, by pypdf's layout mode and by pdftotext where it is installed."""
    reader = PdfReader(io.BytesIO(data))
    texts = ["\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)]
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        result = subprocess.run(  # noqa: S603 (the installed pdftotext on our own PDF)
            [pdftotext, "-", "-"], input=data, capture_output=True, check=True
        )
        texts.append(result.stdout.decode())
    return [" ".join(text.split()) for text in texts]
