"""Municipality pages: the admin's list of all, and one municipality's people."""

from flask import Blueprint, render_template

from app.auth.models import Role
from app.core.access import get_municipality_or_404, roles_required
from app.municipalities import queries

bp = Blueprint("municipalities", __name__, url_prefix="/municipalities")


@bp.get("/")
@roles_required(Role.ADMIN)
def index():
    """All 15 municipalities with their head counts (admins)."""
    return render_template("municipalities/index.html", overviews=queries.overview_of_all())


@bp.get("/<code>")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def people(code: str):
    """One municipality's people (its coordinator, or an admin)."""
    municipality = get_municipality_or_404(code)
    return render_template(
        "municipalities/people.html",
        municipality=municipality,
        people=queries.people_of(municipality),
    )
