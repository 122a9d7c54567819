"""The cascade-training kit: Markdown documents in courses/agent/kit/, as pages, PDFs and DOCX."""

from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from flask import current_app

from app.courses.loader import read_document, slug_of
from app.municipalities.facts import placeholders_in, register_fact_uses


@dataclass(frozen=True)
class KitDocument:
    """One document of the kit."""

    slug: str
    title: str
    html: str


def kit_documents(courses_dir: str) -> list[KitDocument]:
    """The kit's documents in name order; rendered once per file version."""
    folder = Path(courses_dir) / "agent" / "kit"
    if not folder.is_dir():
        return []
    return [_render(path, path.stat().st_mtime_ns) for path in sorted(folder.glob("*.md"))]


@cache
def _render(path: Path, modified: int) -> KitDocument:
    lesson, errors = read_document(path)
    if lesson is None:
        raise ValueError("; ".join(str(error) for error in errors))
    return KitDocument(slug_of(path.name), lesson.title, lesson.html)


@dataclass(frozen=True)
class Run:
    """A piece of text with its inline emphasis; `text` "\\n" is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class Block:
    """A block of a kit document, the same for its PDF and its DOCX."""

    # kind: "heading" (level 2–4), "paragraph", "list" (items; ordered or not) or "table" (rows
    # of cells; a cell is (runs, is_header)).
    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    ordered: bool = False
    items: list[list[Run]] = field(default_factory=list)
    rows: list[list[tuple[list[Run], bool]]] = field(default_factory=list)


class _BlockParser(HTMLParser):
    """Read the sanitised lesson HTML (headings, paragraphs, lists, tables) into blocks."""

    TEXT = ("h2", "h3", "h4", "p", "li", "td", "th")
    MARKS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "code": "code"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.runs: list[Run] = []
        self.block: str | None = None
        self.marks: dict[str, int] = {"bold": 0, "italic": 0, "code": 0}
        self.lists: list[Block] = []
        self.table: Block | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.TEXT:
            self.runs, self.block = [], tag
        elif tag in ("ul", "ol"):
            self.lists.append(Block("list", ordered=tag == "ol"))
        elif tag == "table":
            self.table = Block("table")
        elif tag == "tr" and self.table is not None:
            self.table.rows.append([])
        elif tag in self.MARKS:
            self.marks[self.MARKS[tag]] += 1
        elif tag == "br" and self.block is not None:
            self.runs.append(Run("\n"))

    def handle_endtag(self, tag):
        if tag in self.MARKS:
            self.marks[self.MARKS[tag]] = max(0, self.marks[self.MARKS[tag]] - 1)
        elif tag in ("td", "th") and self.table is not None and self.table.rows:
            self.table.rows[-1].append((self.runs, tag == "th"))
        elif tag == "table" and self.table is not None:
            if self.table.rows:
                self.blocks.append(self.table)
            self.table = None
        elif tag == "li" and self.lists:
            self.lists[-1].items.append(self.runs)
        elif tag in ("ul", "ol") and self.lists:
            self.blocks.append(self.lists.pop())
        elif tag in ("h2", "h3", "h4") and self.block == tag:
            self.blocks.append(Block("heading", self.runs, level=int(tag[1])))
        elif tag == "p" and self.block == tag:
            self.blocks.append(Block("paragraph", self.runs))
        if tag in self.TEXT:
            self.runs, self.block = [], None

    def handle_data(self, data):
        if self.block is not None:
            marks = {mark: count > 0 for mark, count in self.marks.items()}
            self.runs.append(Run(data, **marks))


def kit_blocks(html: str) -> list[Block]:
    """The blocks of a kit document's HTML, in reading order."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


def fact_uses_in_kit(courses_dir: str) -> dict[str, list[str]]:
    """Where each municipality fact is used in the kit: "Utbildningspaket › Document"."""
    uses: dict[str, list[str]] = {}
    for document in kit_documents(courses_dir):
        for key in sorted(placeholders_in(document.html)):
            uses.setdefault(key, []).append(f"Utbildningspaket › {document.title}")
    return uses


register_fact_uses(lambda: fact_uses_in_kit(current_app.config["COURSES_DIR"]))
