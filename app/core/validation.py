"""Patterns and checks for what people type and what URLs carry."""

import re
import unicodedata
from collections.abc import Iterable

from flask import abort, request
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Control (Cc), format (Cf: bidi overrides and isolates, zero-width characters, soft hyphen…)
# and line/paragraph separators: invisible, and able to make a name read as something else.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
LINE_BREAKS = frozenset("\n\r\t")  # what a multi-line field may hold besides visible text
HIDDEN_CHARACTERS_MESSAGE = _l(
    "Texten innehåller osynliga styrtecken (till exempel tecken som vänder skrivriktningen). "
    "Skriv den utan dem."
)

MAX_PAGE = 100_000  # deep enough for the national demo, far from an OFFSET overflow


def has_hidden_characters(text: str, multiline: bool = False) -> bool:
    """True when the text holds a control, format (bidi, zero-width) or separator character;
    line breaks and tabs are allowed in multi-line text."""
    allowed = LINE_BREAKS if multiline else frozenset()
    return any(
        unicodedata.category(char) in HIDDEN_CATEGORIES and char not in allowed for char in text
    )


def no_control_characters(_form, field) -> None:
    """A WTForms validator for one-line fields (names, titles, places): visible text only.

    :raise ValidationError: the field holds a line break, a bidi or another invisible character.
    """
    if has_hidden_characters(field.data or ""):
        raise ValidationError(HIDDEN_CHARACTERS_MESSAGE)


def no_control_characters_in_lines(_form, field) -> None:
    """A WTForms validator for multi-line fields (notes): line breaks allowed, nothing else hidden.

    :raise ValidationError: the field holds a bidi or another invisible character.
    """
    if has_hidden_characters(field.data or "", multiline=True):
        raise ValidationError(HIDDEN_CHARACTERS_MESSAGE)


def query_int(
    name: str, default: int, minimum: int = 1, maximum: int = MAX_PAGE, status: int = 400
) -> int:
    """A whole number from the query string (e.g. `page`), or the default when it is absent.

    :raise 400: (or `status`) not a whole number between minimum and maximum.
    """
    raw = request.args.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if not re.fullmatch(r"[0-9]{1,7}", raw) or not minimum <= int(raw) <= maximum:
        abort(status, description=f"{name} must be a whole number from {minimum} to {maximum}")
    return int(raw)


def known_args(names: Iterable[str]) -> dict[str, str]:
    """The named query arguments that hold something: safe to pass on to `url_for`, which
    would treat `endpoint`, `_method`, `_external` and the like as its own."""
    return {name: value for name in names if (value := request.args.get(name, "").strip())}
