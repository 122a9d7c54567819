"""Reading a CSV file as Excel saves it: UTF-8 (with or without BOM) or Windows-1252, `;` or `,`.

Imports (the staff roster, the meeting log) share this; each judges its own rows.
"""

import base64
import csv
import io

from flask_babel import LazyString, gettext
from markupsafe import escape

from app.core.errors import DomainError


class Text(LazyString):
    """A translation rendered when shown, in the reader's language, and escaped in HTML like
    any text: flask_babel's lazy strings pass through Jinja unescaped, and these quote the file.
    """

    def __html__(self) -> str:
        return str(escape(str(self)))


def _l(string: str, **variables) -> Text:
    """`lazy_gettext`, escaped in templates (extracted with the `_l` keyword as elsewhere)."""
    return Text(gettext, string, **variables)


class CsvRefused(DomainError, ValueError):
    """The file as a whole cannot be read; the message (a lazy string, rendered in the reader's
    language by `str()`) says why."""


def decode(data: bytes, max_bytes: int) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Swedish Excel saves it.

    :raise CsvRefused: empty, too large, or binary.
    """
    if not data.strip():
        raise CsvRefused(_l("filen är tom"))
    if len(data) > max_bytes:
        raise CsvRefused(_l("filen är större än %(kb)d kB", kb=max_bytes // 1024))
    if b"\x00" in data:
        raise CsvRefused(_l("det här är ingen CSV-fil (den innehåller binärdata)"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise CsvRefused(_l("filen är tom"))
    return text


def read_rows(data: bytes, max_bytes: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header cells (trimmed, lower case) and the non-empty rows with their line numbers;
    the separator is whichever of `;` and `,` the header uses more.

    :raise CsvRefused: see `decode`, or the file is not CSV.
    """
    text = decode(data, max_bytes)
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        header = [cell.strip().lower() for cell in next(reader)]
        rows = [
            (number, [cell.strip() for cell in cells])
            for number, cells in enumerate(reader, start=2)
            if any(cell.strip() for cell in cells)
        ]
    except csv.Error as error:
        raise CsvRefused(
            _l("filen går inte att läsa som CSV (%(error)s)", error=str(error))
        ) from error
    return header, rows


def pack(data: bytes) -> str:
    """The previewed file as text for the confirm form's hidden field."""
    return base64.b64encode(data).decode()


def unpack(text: str) -> bytes:
    """The file back from the confirm form; empty when it was tampered with."""
    try:
        return base64.b64decode(text.encode(), validate=True)
    except ValueError:
        return b""
