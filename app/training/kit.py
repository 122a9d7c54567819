"""The cascade-training kit: Markdown documents in courses/agent/kit/, as pages and PDFs."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.courses.loader import read_document, slug_of


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
