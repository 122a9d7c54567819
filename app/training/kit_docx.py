"""The kit's documents as editable Word files (DOCX), for municipalities to adapt."""

# Real Word structure, not pictures of text: Heading 1–4, List Bullet / List Number paragraphs
# (each numbered list starts at 1), tables with a repeating header row, Swedish as the language.

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from app.core.pdf import AUTHOR, LANG
from app.training.kit import Block, Run, kit_blocks

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _add_runs(paragraph: Paragraph, runs: list[Run], bold: bool = False) -> None:
    for run in runs:
        if run.text == "\n":
            paragraph.add_run().add_break()
            continue
        added = paragraph.add_run(run.text)
        added.bold = run.bold or bold or None
        added.italic = run.italic or None
        if run.code:
            added.font.name = "Courier New"


def _restart_numbering(document) -> int:
    """A new numbering instance of the List Number style's list, starting again at 1."""
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _add_list(document, block: Block) -> None:
    num_id = _restart_numbering(document) if block.ordered else None
    for runs in block.items:
        paragraph = document.add_paragraph(style="List Number" if block.ordered else "List Bullet")
        if num_id is not None:
            paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id
        _add_runs(paragraph, runs)


def _add_table(document, block: Block) -> None:
    columns = max(len(row) for row in block.rows)
    table = document.add_table(rows=len(block.rows), cols=columns)
    table.style = "Table Grid"
    for row, cells in zip(table.rows, block.rows, strict=True):
        if cells and all(header for _, header in cells):
            header = OxmlElement("w:tblHeader")  # a header row, repeated on each page
            row._tr.get_or_add_trPr().append(header)
        for cell, (runs, is_header) in zip(row.cells, cells, strict=False):
            _add_runs(cell.paragraphs[0], runs, bold=is_header)


def _set_language(document) -> None:
    """Swedish as the language of all text (the document defaults)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), LANG)
    language.set(qn("w:eastAsia"), LANG)


def kit_document_docx(title: str, html: str) -> bytes:
    """A kit document (rendered lesson HTML) as an editable Word document."""
    document = Document()
    _set_language(document)
    properties = document.core_properties
    properties.title, properties.author, properties.language = title, AUTHOR, LANG
    properties.subject = "Utbildningspaket för mötesagenter"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Vi möts resfritt · Utbildningspaket"
    section.footer.paragraphs[0].text = f"Vi möts resfritt – {title}"
    document.add_heading(title, level=1)
    for block in kit_blocks(html):
        if block.kind == "heading":
            _add_runs(document.add_paragraph(style=f"Heading {block.level}"), block.runs)
        elif block.kind == "paragraph":
            _add_runs(document.add_paragraph(), block.runs)
        elif block.kind == "list":
            _add_list(document, block)
        elif block.kind == "table":
            _add_table(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
