"""Searching text as people read it: "ängström" finds "Ängström" on SQLite as on PostgreSQL.

SQLite's `lower()` and `LIKE` fold ASCII letters only, so on SQLite the fold is a Python function
(`str.casefold`) registered on every connection as `sv_fold`; PostgreSQL's `lower()` folds every
letter as long as the database's LC_CTYPE is a UTF-8 locale (such as `C.UTF-8`, not plain `C`).
"""

import sqlite3

from sqlalchemy import ColumnElement, Engine, String, event, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FOLD = "sv_fold"
LIKE_ESCAPE = "/"


def _fold(value):
    return value.casefold() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _register_fold(dbapi_connection, _connection_record) -> None:
    """Give every SQLite connection the Unicode fold (other databases have their own)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(SQLITE_FOLD, 1, _fold, deterministic=True)


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
