"""The start page."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.auth.models import Role
from app.courses import queries as course_queries
from app.progress.completion import module_progress
from app.progress.queries import is_certified

bp = Blueprint("start", __name__)


@bp.get("/")
def index():
    """The landing page, or for a logged-in user what to do next for their role."""
    if not current_user.is_authenticated:
        return render_template("start/landing.html")
    courses = course_queries.catalogue_for(current_user)
    current = next((c for c in courses if not c.completed), None)
    step = None
    if current is not None:
        outline = course_queries.course_outline(current_user, current.course)
        step = course_queries.next_step(outline, module_progress(current_user, current.course))
    certified = current_user.role == Role.AGENT and is_certified(current_user)
    return render_template(
        "start/index.html",
        courses=courses,
        current=current,
        next_step=step,
        certified=certified,
        Role=Role,
    )
