"""Query parameters read as the OpenAPI document describes them, so what it promises is what
is enforced: a value that does not fit its schema is a 422."""

import re
from datetime import UTC, datetime
from typing import Any

from flask import abort, request

from app.api.openapi import OPENAPI
from app.core.errors import DomainError

INTEGER = re.compile(r"-?[0-9]{1,18}")
LEAP_SECOND = re.compile(r"(T\d\d:\d\d):60")


class ParameterError(DomainError, ValueError):
    """A query parameter that does not fit its documented schema; the message says how."""


def parse_time(name: str, raw: str) -> datetime:
    """An ISO 8601 / RFC 3339 time in UTC (a time without offset is taken as UTC).

    :raise ParameterError: empty, not a time, or beyond what a time can be.
    """
    text = LEAP_SECOND.sub(r"\1:59", raw.strip().upper())  # an RFC 3339 leap second
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ParameterError(
            f"{name} must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ParameterError(f"{name} is out of range") from None


def parse_integer(name: str, raw: str, schema: dict) -> int:
    """A whole number within the schema's minimum and maximum.

    :raise ParameterError: not a whole number, or outside the bounds.
    """
    low, high = schema.get("minimum"), schema.get("maximum")
    bounds = f" from {low} to {high}" if low is not None and high is not None else ""
    if not INTEGER.fullmatch(raw.strip()):
        raise ParameterError(f"{name} must be a whole number{bounds}")
    value = int(raw)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ParameterError(f"{name} must be a whole number{bounds}")
    return value


def _parse(name: str, raw: str, schema: dict) -> Any:
    if schema.get("type") == "integer":
        return parse_integer(name, raw, schema)
    if schema.get("format") == "date-time":
        return parse_time(name, raw)
    if "enum" in schema and raw not in schema["enum"]:
        raise ParameterError(f"{name} must be one of {', '.join(schema['enum'])}")
    if len(raw) < schema.get("minLength", 0) or len(raw) > schema.get("maxLength", len(raw)):
        raise ParameterError(f"{name} has the wrong length")
    return raw


def query_params(path: str) -> dict[str, Any]:
    """The documented query parameters of `GET path` (as the document names the path), parsed;
    an absent one is its documented default (or None).

    :raise 422: a value that does not fit its schema.
    """
    values: dict[str, Any] = {}
    for spec in OPENAPI["paths"][path]["get"].get("parameters", []):
        if spec["in"] != "query":
            continue
        name, schema = spec["name"], spec["schema"]
        raw = request.args.get(name)
        if raw is None:
            values[name] = schema.get("default")
            continue
        try:
            values[name] = _parse(name, raw, schema)
        except ParameterError as error:
            abort(422, description=str(error))
    return values
