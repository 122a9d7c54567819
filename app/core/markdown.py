"""The one function that turns Markdown into HTML safe to show (markdown, then bleach)."""

import re
import xml.etree.ElementTree as etree

import bleach
import markdown as markdown_lib
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
        "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# The table region's attributes, with the only values a div may carry (aria-label: any text).
REGION_ATTRIBUTES = {"class": "table-scroll", "role": "region", "tabindex": "0"}
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
    "ol": ["start"],
    "div": lambda _tag, name, value: name == "aria-label" or REGION_ATTRIBUTES.get(name) == value,
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Placeholders for raw HTML that Markdown puts back after the tree is serialised.
STASHED = re.compile("\x02wzxhzdk:\\d+\x03")


class TableRegions(Treeprocessor):
    """Wrap each table in a focusable region named by its header row (else "Tabell N")."""

    def run(self, root: etree.Element) -> None:
        # A wide table then scrolls on its own, by keyboard too, instead of widening the page.
        tables = [
            (parent, child) for parent in root.iter() for child in parent if child.tag == "table"
        ]
        for number, (parent, table) in enumerate(tables, start=1):
            header = table.find("thead/tr")
            cells = [] if header is None else ["".join(cell.itertext()) for cell in header]
            name = ", ".join(text for cell in cells if (text := STASHED.sub("", cell).strip()))
            region = etree.Element(
                "div", {**REGION_ATTRIBUTES, "aria-label": name or f"Tabell {number}"}
            )
            parent.insert(list(parent).index(table), region)
            parent.remove(table)
            region.append(table)
            region.tail, table.tail = table.tail, None


class TableRegionExtension(Extension):
    """Registers TableRegions after the inline patterns, so cell text is final."""

    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:
        md.treeprocessors.register(TableRegions(md), "table_regions", 5)


EXTENSIONS = ["tables", "fenced_code", "sane_lists", "def_list", "abbr", TableRegionExtension()]


def render_markdown(text: str) -> str:
    """Render Markdown to HTML and strip anything that could run or embed (scripts, on*, iframes).

    Lesson bodies start at h2: the page itself holds the one h1, so a `#` heading is demoted.
    """
    html = markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
