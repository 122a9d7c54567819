"""JSON API under /api/v1 (DESIGN §6); errors are JSON with a message."""

from flask import Blueprint, jsonify
from werkzeug.exceptions import HTTPException

from app.certificates import queries as certificate_queries
from app.certificates.codes import normalise_code
from app.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException):
    """Every API error as JSON: {"error": status, "message": ...}."""
    return jsonify(error=error.code, message=error.description), error.code


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
