"""JSON API under /api/v1 (DESIGN §6): session cookie or `Authorization: Bearer <token>`."""

from datetime import UTC, datetime
from functools import wraps

from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app.api import xapi
from app.api.openapi import OPENAPI
from app.auth.tokens import user_for_token
from app.certificates import queries as certificate_queries
from app.certificates.codes import normalise_code
from app.extensions import csrf, limiter, login_manager
from app.municipalities.access import get_municipality_or_404
from app.reports import queries as report_queries
from app.reports.access import may_see_coverage

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException):
    """Every API error as JSON: {"error": status, "message": ...}."""
    return jsonify(error=error.code, message=error.description), error.code


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
    row = report_queries.coverage_of(place)
    return jsonify(
        **row.as_json(),
        agents=[agent.as_json() for agent in report_queries.agents_of(place)],
        by_month=report_queries.by_month(place),
    )


@bp.get("/xapi/statements")
@api_requires(may_see_coverage)
def xapi_statements():
    """xAPI 1.0.3 statements after `since` (ISO 8601), paged by `page`, for an LRS."""
    since = None
    if request.args.get("since"):
        try:
            since = datetime.fromisoformat(request.args["since"].replace("Z", "+00:00"))
        except ValueError:
            abort(400, description="since must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z")
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        try:
            since = since.astimezone(UTC)
        except OverflowError:
            abort(400, description="since is out of range")
    page = request.args.get("page", 0, type=int) or 0
    if not 0 <= page <= 100000:
        abort(400, description="page must be between 0 and 100000")
    base = request.url_root.rstrip("/")
    found, more = xapi.statements(current_user, base, since, page)
    next_url = (
        url_for(".xapi_statements", since=request.args.get("since"), page=page + 1) if more else ""
    )
    response = jsonify(statements=found, more=next_url)
    response.headers["X-Experience-API-Version"] = "1.0.3"
    return response


@bp.get("/certificates/<code>")
@limiter.limit("30 per minute")
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


@login_manager.request_loader
def load_user_from_token(req):
    """Let a bearer token log an API request in (no session is created for it)."""
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip() and req.path.startswith("/api/"):
        return user_for_token(token.strip())
    return None
