"""Searching and sorting text as Swedes read it, on SQLite as on PostgreSQL.

Search: "ängström" finds "Ängström". SQLite's `lower()` and `LIKE` fold ASCII letters only, so
on SQLite the fold is a Python function (`str.casefold`) registered on every connection as
`sv_fold`; PostgreSQL's `lower()` folds every letter as long as the database's LC_CTYPE is a
UTF-8 locale (such as `C.UTF-8`, not plain `C`).

Order: names A–Ö as in a Swedish phone book (… Z, Å, Ä, Ö; É with E, Ü with Y; case ignored).
PostgreSQL uses its ICU collation `sv-x-icu` (built into Debian's and the official packages);
SQLite a Python collation `sv` registered on every connection.
"""

import sqlite3
import unicodedata

from sqlalchemy import ColumnElement, Engine, String, event, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FOLD = "sv_fold"
SQLITE_COLLATION = "sv"
POSTGRES_COLLATION = "sv-x-icu"
LIKE_ESCAPE = "/"
# Swedish letters after Z, and the Danish/Norwegian and German ones filed with them.
_SWEDISH_LETTERS = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}


def _fold(value):
    return value.casefold() if isinstance(value, str) else value


def swedish_key(text: str) -> tuple[str, str]:
    """A sort key in Swedish alphabetical order: case and accents ignored but for Å, Ä, Ö."""
    letters = []
    for char in text.casefold():
        letters.append(_SWEDISH_LETTERS.get(char) or unicodedata.normalize("NFD", char)[0])
    return "".join(letters), text


def _swedish_compare(left: str, right: str) -> int:
    a, b = swedish_key(left), swedish_key(right)
    return (a > b) - (a < b)


@event.listens_for(Engine, "connect")
def _register_fold(dbapi_connection, _connection_record) -> None:
    """Give every SQLite connection the Unicode fold and the Swedish collation (other
    databases have their own)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(SQLITE_FOLD, 1, _fold, deterministic=True)
        dbapi_connection.create_collation(SQLITE_COLLATION, _swedish_compare)


class _Folded(FunctionElement):
    """Case-folded text; compiled per dialect below."""

    type = String()
    name = "folded"
    inherit_cache = True


@compiles(_Folded)
def _compile_lower(element, compiler, **kw) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(_Folded, "sqlite")
def _compile_sqlite_fold(element, compiler, **kw) -> str:
    return f"{SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


class _Swedish(FunctionElement):
    """Text in Swedish alphabetical order (for ORDER BY); compiled per dialect below."""

    type = String()
    name = "swedish"
    inherit_cache = True


@compiles(_Swedish)
def _compile_swedish(element, compiler, **kw) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "{POSTGRES_COLLATION}"'


@compiles(_Swedish, "sqlite")
def _compile_sqlite_swedish(element, compiler, **kw) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE {SQLITE_COLLATION}"


def swedish(column) -> ColumnElement[str]:
    """The column sorted A–Ö as in Swedish (`ORDER BY swedish(User.name)`)."""
    return _Swedish(column)


def folded(column) -> ColumnElement[str]:
    """The column (or value) lower-cased with full Unicode, on PostgreSQL as on SQLite."""
    return _Folded(column)


def escape_like(text: str) -> str:
    """The text with LIKE's wildcards (and the escape character) taken literally."""
    for char in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(char, LIKE_ESCAPE + char)
    return text


def contains_folded(text: str, *columns) -> ColumnElement[bool]:
    """Any of the columns contains the text, case folded on both sides by the same function
    (so the database, not Python, decides what folds to what); `%` and `_` match themselves."""
    pattern = folded(literal(f"%{escape_like(text.strip())}%", String()))
    return or_(*(folded(column).like(pattern, escape=LIKE_ESCAPE) for column in columns))
