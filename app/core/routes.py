"""Health check and accessibility statement."""

from flask import Blueprint, render_template

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness for load balancers: answers without touching the database."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (tillgänglighetsredogörelse) required by Swedish law."""
    return render_template("core/accessibility.html")
