"""JSON API under /api/v1 (DESIGN §6): session cookie or `Authorization: Bearer <token>`."""

from functools import wraps

from flask import Blueprint, abort, g, jsonify, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app.api import xapi
from app.api.openapi import OPENAPI
from app.api.params import query_params
from app.auth.tokens import active_token
from app.certificates import queries as certificate_queries
from app.certificates.codes import normalise_code
from app.certificates.routes import verify_limit
from app.core.errors import answer_json_under
from app.core.urls import public_base
from app.effect import queries as effect_queries
from app.effect import services as effect_services
from app.effect.access import may_follow_effect, may_log_meetings
from app.effect.models import MeetingSource
from app.extensions import csrf
from app.municipalities.access import get_municipality_or_404
from app.reports import queries as report_queries
from app.reports.access import may_see_coverage

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def json_error(error: HTTPException):
    """Every API error as JSON in the documented `Error` schema: {"error": status, "message"}."""
    response = jsonify(error=error.code, message=error.description)
    response.status_code = error.code or 500
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


# Under /api/ every error answers JSON, also a 404 for a path no route knows, a 405 and a 500.
bp.record_once(lambda state: answer_json_under(state.app, "/api/", json_error))


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header (any case of "Bearer"), if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


@bp.before_request
def authenticate_bearer():
    """A bearer token decides who calls, whatever cookies come along (the session is never
    read, so its protection cannot turn the token away).

    :raise 401: the token is unknown, revoked or expired, or its user deactivated.
    :raise 403: a read-only token on a request that would change something.
    """
    token = bearer_token()
    if token is None:
        return
    row = active_token(token)
    if row is None:
        abort(401, description="the bearer token is unknown, revoked or expired")
    if not row.allows(request.method):
        abort(403, description="this token may only read (GET)")
    g._login_user = row.user  # Flask-Login's current user for this request only


def api_requires(predicate):
    """Like `core.access.requires`, but answering 401/403 in JSON instead of redirecting to a
    login page.

    :raise 401: no session and no valid bearer token.
    :raise 403: the predicate refuses the user.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401, description="log in or send Authorization: Bearer <token>")
            if not predicate(current_user):
                abort(403, description="your role may not read this")
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(OPENAPI)


@bp.get("/coverage")
@api_requires(may_see_coverage)
def coverage():
    """Coverage of every municipality the caller may see (a coordinator: their own)."""
    rows = report_queries.coverage_for(current_user)
    return jsonify(
        municipalities=[row.as_json() for row in rows],
        totals={
            k: v
            for k, v in report_queries.totals(rows).as_json().items()
            if k not in ("code", "name")
        },
    )


@bp.get("/municipalities/<code>/coverage")
@api_requires(may_see_coverage)
def municipality_coverage(code: str):
    """One municipality's coverage with its agents and the trend by month (another one is 404)."""
    place = get_municipality_or_404(code)
    return jsonify(report_queries.municipality_coverage(place).as_json())


def _effect_totals(rows) -> dict:
    return {
        k: v for k, v in effect_queries.totals(rows).as_json().items() if k not in ("code", "name")
    }


@bp.get("/effect")
@api_requires(may_follow_effect)
def effect():
    """Travel-free meetings and energy saved in the year, per municipality the caller may see."""
    year = query_params("/effect")["year"] or effect_queries.this_year()
    rows = effect_queries.effect_for(current_user, year)
    return jsonify(year=year, municipalities=[row.as_json() for row in rows],
                   totals=_effect_totals(rows))  # fmt: skip


@bp.get("/municipalities/<code>/effect")
@api_requires(may_follow_effect)
def municipality_effect(code: str):
    """One municipality's effect in the year, by month (another municipality is 404)."""
    place = get_municipality_or_404(code)
    year = query_params("/municipalities/{code}/effect")["year"] or effect_queries.this_year()
    (row,) = effect_queries.effect_by_municipality(year, only=place)
    months = effect_queries.by_month(year, place)
    return jsonify(**row.as_json(), year=year, by_month=[m.as_json() for m in months])


@bp.post("/meetings")
@api_requires(may_log_meetings)
def log_meeting():
    """Log a travel-free meeting from a system that can post them (JSON `MeetingIn`)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(422, description="send a JSON object (see MeetingIn in the OpenAPI document)")
    code = body.get("municipality")
    if code is None and current_user.municipality is not None:
        place = current_user.municipality
    elif isinstance(code, str) and code:
        place = get_municipality_or_404(code)  # another municipality's: 404
    else:
        abort(422, description="municipality: give the municipality's code")
    try:
        item = effect_services.read_entry(
            {k: v for k, v in body.items() if not isinstance(v, bool)}
        )
    except effect_services.EntryError as error:
        with force_locale("en"):
            abort(422, description=f"{error.field}: {error.message}")
    entry = effect_services.log_meeting(place, item, current_user, MeetingSource.API)
    return jsonify(
        id=entry.id, municipality=place.code, date=entry.held_on.isoformat(), form=entry.form,
        meetings=entry.meetings, participants=entry.participants,
        trips_avoided=entry.trips_avoided, km_avoided=entry.km_avoided, note=entry.note,
    ), 201  # fmt: skip


@bp.get("/xapi/statements")
@api_requires(may_see_coverage)
def xapi_statements():
    """xAPI 1.0.3 statements after `since` (ISO 8601) for an LRS; `more` continues after the
    page's last statement (a keyset cursor, so every page costs the same)."""
    params = query_params("/xapi/statements")
    after = None
    if params["after_time"] is not None:
        after = xapi.Cursor(
            params["after_time"], params["after_kind"] or "", params["after_id"] or 0
        )
    found, cursor = xapi.statements(
        current_user, public_base(), params["since"], params["page"], after
    )
    more = ""
    if cursor is not None:
        more = url_for(".xapi_statements", since=request.args.get("since"), **cursor.as_query())
    response = jsonify(statements=found, more=more)
    response.headers["X-Experience-API-Version"] = "1.0.3"
    return response


@bp.get("/certificates/<code>")
@verify_limit
def certificate(code: str):
    """Public verification of a certificate: valid, revoked or unknown; never the email."""
    normalised = normalise_code(code)
    found = certificate_queries.by_code(normalised) if normalised else None
    if found is None:
        return jsonify(
            valid=False, holder=None, course=None, issued_at=None, revoked=False,
            message="unknown certificate code",
        ), 404  # fmt: skip
    return jsonify(
        valid=not found.revoked,
        holder=found.holder_name,
        course=found.course_title,
        issued_at=found.issued_at.isoformat(),
        revoked=found.revoked,
    )
