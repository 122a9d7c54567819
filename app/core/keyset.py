"""Keyset pagination: a page is the rows after the last one shown, found through the sort order's
index, never by counting past the rows before it (OFFSET reads every one of them).

The cursor in the `after` link holds the last row's sort values (opaque base64 JSON). Lists page
forward only, with a link back to the first page.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime

from flask import abort, request
from sqlalchemy import ColumnElement, Date, DateTime, Integer, Select, literal, tuple_

from app.extensions import db

CURSOR = "after"  # the query argument
INT_LIMIT = 2**31  # PostgreSQL integers: a larger number in a cursor is not a row's


@dataclass(frozen=True)
class Page:
    """One page of rows and the cursor of the next (None on the last page)."""

    rows: list
    next: str | None
    first: bool  # no cursor was given: this is the first page


def _encode(value):
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    return value


def _decode(value):
    if isinstance(value, dict) and set(value) == {"t"}:
        moment = datetime.fromisoformat(value["t"])
        if moment.tzinfo is None:
            raise ValueError("a time without a zone")
        return moment
    if isinstance(value, dict) and set(value) == {"d"}:
        return date.fromisoformat(value["d"])
    return value


def cursor(values: tuple) -> str:
    """The cursor naming a row by its sort values."""
    text = json.dumps([_encode(value) for value in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _expected(expression: ColumnElement) -> type:
    """The Python type of an order expression's values (a decorated type's underlying one)."""
    kind = getattr(expression.type, "impl_instance", expression.type)
    for sql_type, python_type in ((DateTime, datetime), (Date, date), (Integer, int)):
        if isinstance(kind, sql_type):
            return python_type
    return str


def _parse(token: str, order: list[ColumnElement]) -> tuple:
    """The sort values in a cursor, checked against the order's types.

    :raise 400: not a cursor of this list.
    """
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        values = tuple(_decode(value) for value in values)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        abort(400, description=f"{CURSOR} is not a cursor of this list")
    if len(values) != len(order):
        abort(400, description=f"{CURSOR} is not a cursor of this list")
    for value, expression in zip(values, order, strict=True):
        expected = _expected(expression)
        fits = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if not fits or (isinstance(value, int) and not -INT_LIMIT <= value < INT_LIMIT):
            abort(400, description=f"{CURSOR} is not a cursor of this list")
    return values


def page(query: Select, order: list[ColumnElement], size: int, descending: bool = False) -> Page:
    """The page of `query` after the request's cursor, sorted by `order` (all ascending, or all
    descending; the last expression unique, such as the id); 1 query.

    :raise 400: the `after` argument is not a cursor of this list.
    """
    token = request.args.get(CURSOR, "").strip()
    keys = [expression.label(f"keyset_{number}") for number, expression in enumerate(order)]
    query = query.add_columns(*keys)
    if token:
        values = _parse(token, order)
        bound = tuple_(
            *[literal(value, type_=e.type) for value, e in zip(values, order, strict=True)]
        )
        row = tuple_(*order)
        query = query.where(row < bound if descending else row > bound)
    sort = [expression.desc() if descending else expression.asc() for expression in order]
    rows = db.session.execute(query.order_by(None).order_by(*sort).limit(size + 1)).all()
    more = len(rows) > size
    rows = rows[:size]
    last = tuple(rows[-1][-len(order) :]) if more else None
    return Page([tuple(row[: -len(order)]) for row in rows], cursor(last) if last else None,
                first=not token)  # fmt: skip
