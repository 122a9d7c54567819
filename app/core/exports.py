"""Exports for Swedish Excel (CSV with BOM and `;`, or XLSX), with no cell that Excel would run."""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """A cell as text; one that begins like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    """The CSV document as bytes (BOM, `;`, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(title: str, header: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    """The same table as an Excel workbook (text cells neutralised like the CSV)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(cell: object) -> object:
    """Numbers as numbers; text neutralised and without the control characters XLSX refuses."""
    if isinstance(cell, int | float):
        return cell
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(cell))
