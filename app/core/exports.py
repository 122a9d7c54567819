"""Exports for Excel (CSV with BOM and `;`, or XLSX) in the UI's language, with no cell that Excel
would run: decimals as the reader's Excel reads them, dates as dates."""

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime

from babel.numbers import get_decimal_symbol
from flask_babel import get_locale
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from app.core.time import STOCKHOLM

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def neutralise(value: object) -> str:
    """A cell as text; one that begins like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_time(moment: datetime) -> datetime:
    """A moment as Swedish wall-clock time without a zone, as spreadsheets keep it (naive = UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(STOCKHOLM).replace(tzinfo=None)


def csv_cell(value: object) -> str:
    """A cell as CSV text: 54,2 in Swedish (54.2 in English), 2026-05-01, 2026-05-01 14:30."""
    if isinstance(value, bool):
        return neutralise(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(value).replace(".", get_decimal_symbol(get_locale() or "sv"))
    if isinstance(value, datetime):
        return f"{local_time(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def csv_bytes(header: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    """The CSV document as bytes (BOM, `;`, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(title: str, header: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    """The same table as an Excel workbook: numbers and dates as such, text neutralised."""
    return xlsx_workbook([(title, header, rows)])


def xlsx_workbook(sheets: list[tuple[str, list[str], Iterable[Iterable[object]]]]) -> bytes:
    """A workbook of several sheets, each (title, header, rows), cells as in `xlsx_bytes`."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([str(cell) for cell in header])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value: object) -> object:
    """Numbers and dates as such; text neutralised, without the control characters XLSX refuses."""
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=local_time(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))
