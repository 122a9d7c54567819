"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

# ruff: noqa: E501 - a nested document reads better unwrapped

from app.api.xapi import KINDS, MAX_PAGE, PAGE_SIZE
from app.reports.queries import COVERAGE_COLUMNS

_ERROR = {"$ref": "#/components/schemas/Error"}
_COVERAGE_FIELDS = {
    **{
        column.key: {"type": [column.type, "null"] if column.key == "code" else column.type,
                     "description": str(column.label)}
        for column in COVERAGE_COLUMNS
    },
    "coverage": {"type": "number", "description": "staff_trained ÷ staff_target, 0–1"},
}  # fmt: skip


_YEAR = {"name": "year", "in": "query", "description": "The calendar year (default: this year)",
         "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}  # fmt: skip


def _errors(*codes: int) -> dict:
    """The documented error answers: the given codes, and 400 for a malformed request."""
    texts = {400: "Malformed request (e.g. a NUL byte)", 401: "Not logged in, or the token is unknown, revoked or expired",
             403: "Role (or a read-only token) not allowed", 404: "Not found (or not yours)",
             422: "A query parameter does not fit its schema", 429: "Too many requests"}  # fmt: skip
    return {
        str(code): {"description": texts[code], "content": {"application/json": {"schema": _ERROR}}}
        for code in (400, *codes)
    }


OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Vi möts resfritt – utbildningsplattformens API",
        "version": "1.0.0",
        "description": "Coverage of the cascade training per municipality, and certificate "
        "verification. Authenticate with the session cookie or `Authorization: Bearer <token>` "
        "(tokens from your profile page or `flask users token EMAIL [--days N] [--read-only]`; "
        "a bearer token decides whatever cookies come along, and an expired one answers 401). "
        "A coordinator sees only their own municipality; another one answers 404. Every error "
        "answers JSON in the `Error` schema: 400, 401, 403, 404 (also for unknown paths), 405 "
        "(with an `Allow` header), 422 (a query parameter outside its schema), 429 and 500.",
    },
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "A token may expire and may be read-only (GET only)."},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error", "message"],
                "properties": {"error": {"type": "integer"}, "message": {"type": "string"}},
            },
            "Coverage": {"type": "object", "properties": _COVERAGE_FIELDS},
            "Agent": {
                "type": "object",
                "properties": {
                    "email": {"type": "string"}, "name": {"type": "string"},
                    "certified": {"type": "boolean"}, "sessions_held": {"type": "integer"},
                    "staff_trained": {"type": "integer"},
                    "practice_done": {"type": "integer", "description": "practice tasks ticked"},
                    "practice_tasks": {"type": "integer", "description": "practice tasks to do"},
                },
            },  # fmt: skip
            "Effect": {
                "type": "object",
                "properties": {
                    "code": {"type": ["string", "null"]}, "name": {"type": "string"},
                    "meetings": {"type": "integer", "description": "travel-free meetings in the year"},
                    "trips_avoided": {"type": "integer"}, "km_avoided": {"type": "number"},
                    "mwh_saved": {"type": "number", "description": "km × the mixed kWh per km ÷ 1000 (see /effect/how)"},
                    "baseline_mwh": {"type": "number", "description": "yearly travel energy before the programme"},
                    "goal_2015_mwh": {"type": "number", "description": "20 % of the baseline"},
                    "goal_2020_mwh": {"type": "number", "description": "40 % of the baseline"},
                },
            },
            "EffectMonth": {
                "type": "object",
                "properties": {
                    "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                    "meetings": {"type": "integer"}, "trips_avoided": {"type": "integer"},
                    "km_avoided": {"type": "number"}, "mwh_saved": {"type": "number"},
                },
            },
            "MeetingIn": {
                "type": "object",
                "required": ["date", "form", "participants", "trips_avoided"],
                "properties": {
                    "municipality": {"type": "string", "pattern": "^[0-9]{4}$", "description": "code; the caller's own when left out (required for the programme office)"},
                    "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$", "description": "YYYY-MM-DD, or YYYY-MM for a month's statistics; from 2010, not in the future (else 422)"},
                    "form": {"type": "string", "enum": ["video_room", "jabber", "web", "phone", "videorum", "webbmöte", "telefon"]},
                    "meetings": {"type": "integer", "minimum": 1, "default": 1},
                    "participants": {"type": "integer", "minimum": 0},
                    "trips_avoided": {"type": "integer", "minimum": 0},
                    "km_avoided": {"type": ["number", "null"], "minimum": 0, "description": "null: trips × the municipality's distance per trip"},
                    "note": {"type": "string", "maxLength": 500},
                },
            },
            "Month": {
                "type": "object",
                "properties": {
                    "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                    "trained_online": {"type": "integer"},
                    "trained_via_session": {"type": "integer"},
                    "sessions": {"type": "integer"},
                },
            },
            "Verification": {
                "type": "object",
                "required": ["valid", "holder", "course", "issued_at", "revoked"],
                "properties": {
                    "valid": {"type": "boolean"}, "holder": {"type": ["string", "null"]},
                    "course": {"type": ["string", "null"]},
                    "issued_at": {"type": ["string", "null"], "format": "date-time"},
                    "revoked": {"type": "boolean"},
                },
            },  # fmt: skip
        },
    },
    "security": [{"bearer": []}, {"session": []}],
    "paths": {
        "/coverage": {
            "get": {
                "summary": "Coverage of every municipality the caller may see",
                "responses": {
                    "200": {
                        "description": "Per municipality, and totals",
                        "content": {"application/json": {"schema": {
                            "type": "object",
                            "properties": {
                                "municipalities": {"type": "array", "items": {"$ref": "#/components/schemas/Coverage"}},
                                "totals": {"$ref": "#/components/schemas/Coverage"},
                            },
                        }}},
                    },
                    **_errors(401, 403),
                },
            }
        },
        "/municipalities/{code}/coverage": {
            "get": {
                "summary": "One municipality's coverage, its agents and the trend by month",
                "parameters": [{"name": "code", "in": "path", "required": True,
                                "schema": {"type": "string", "pattern": "^[0-9]{4}$"}}],
                "responses": {
                    "200": {
                        "description": "The municipality",
                        "content": {"application/json": {"schema": {"allOf": [
                            {"$ref": "#/components/schemas/Coverage"},
                            {"type": "object", "properties": {
                                "agents": {"type": "array", "items": {"$ref": "#/components/schemas/Agent"}},
                                "by_month": {"type": "array", "items": {"$ref": "#/components/schemas/Month"}},
                            }},
                        ]}}},
                    },
                    **_errors(401, 403, 404),
                },
            }
        },
        "/effect": {
            "get": {
                "summary": "Travel-free meetings and energy saved in a year, per municipality the caller may see, and totals",
                "parameters": [_YEAR],
                "responses": {
                    "200": {
                        "description": "Per municipality, and totals",
                        "content": {"application/json": {"schema": {
                            "type": "object",
                            "properties": {
                                "year": {"type": "integer"},
                                "municipalities": {"type": "array", "items": {"$ref": "#/components/schemas/Effect"}},
                                "totals": {"$ref": "#/components/schemas/Effect"},
                            },
                        }}},
                    },
                    **_errors(401, 403, 422),
                },
            }
        },
        "/municipalities/{code}/effect": {
            "get": {
                "summary": "One municipality's travel-free meetings and energy saved in a year, by month",
                "parameters": [{"name": "code", "in": "path", "required": True,
                                "schema": {"type": "string", "pattern": "^[0-9]{4}$"}}, _YEAR],
                "responses": {
                    "200": {
                        "description": "The municipality",
                        "content": {"application/json": {"schema": {"allOf": [
                            {"$ref": "#/components/schemas/Effect"},
                            {"type": "object", "properties": {
                                "year": {"type": "integer"},
                                "by_month": {"type": "array", "items": {"$ref": "#/components/schemas/EffectMonth"}},
                            }},
                        ]}}},
                    },
                    **_errors(401, 403, 404, 422),
                },
            }
        },
        "/meetings": {
            "post": {
                "summary": "Log a travel-free meeting (agents and coordinators: their municipality; the programme office: any)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MeetingIn"}}}},
                "responses": {
                    "201": {"description": "Logged", "content": {"application/json": {"schema": {"type": "object", "properties": {
                        "id": {"type": "integer"}, "municipality": {"type": "string"}, "date": {"type": "string"},
                        "form": {"type": "string"}, "meetings": {"type": "integer"}, "participants": {"type": "integer"},
                        "trips_avoided": {"type": "integer"}, "km_avoided": {"type": ["number", "null"]}, "note": {"type": "string"}}}}}},
                    **_errors(401, 403, 404, 422),
                },
            }
        },
        "/xapi/statements": {
            "get": {
                "summary": "xAPI 1.0.3 statements (completed, passed, failed, attended) for an LRS",
                "parameters": [
                    {"name": "since", "in": "query", "description": "Only statements after this time (ISO 8601; without an offset, UTC)",
                     "schema": {"type": "string", "format": "date-time"}},
                    {"name": "page", "in": "query", "description": f"Page number from 0, {PAGE_SIZE} statements a page (each page reads those before it; prefer `more`)",
                     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_PAGE, "default": 0}},
                    {"name": "after_time", "in": "query", "description": "With after_kind and after_id, the cursor of a `more` link: the page after that statement (any depth, the same cost)",
                     "schema": {"type": "string", "format": "date-time"}},
                    {"name": "after_kind", "in": "query", "description": "The cursor's stream",
                     "schema": {"type": "string", "enum": list(KINDS)}},
                    {"name": "after_id", "in": "query", "description": "The cursor's row",
                     "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647}},
                ],
                "responses": {
                    "200": {"description": "A StatementResult: statements, oldest first, and `more`",
                            "content": {"application/json": {"schema": {"type": "object", "properties": {
                                "statements": {"type": "array", "items": {"type": "object"}},
                                "more": {"type": "string", "description": "The next page's address, or empty"}}}}}},
                    **_errors(401, 403, 422),
                },
            }
        },
        "/certificates/{code}": {
            "get": {
                "summary": "Public verification of a certificate (no email)",
                "security": [],
                "parameters": [{"name": "code", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "Known code",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verification"}}}},
                    "404": {"description": "Unknown code",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verification"}}}},
                    **_errors(429),
                },
            }
        },
    },
}  # fmt: skip
