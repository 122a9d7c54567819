"""Start page, health check, accessibility statement and language choice."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.models import Role
from app.auth.services import set_user_locale
from app.core.i18n import LANGUAGE_COOKIE
from app.core.security import is_safe_redirect
from app.courses import queries as course_queries
from app.courses.completion import module_progress
from app.training.queries import is_certified

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness for load balancers: answers without touching the database."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/")
def start():
    """The landing page, or for a logged-in user what to do next for their role."""
    if not current_user.is_authenticated:
        return render_template("core/landing.html")
    courses = course_queries.catalogue_for(current_user)
    current = next((c for c in courses if not c.completed), None)
    step = None
    if current is not None:
        outline = course_queries.course_outline(current_user, current.course)
        step = course_queries.next_step(outline, module_progress(current_user, current.course))
    certified = current_user.role == Role.AGENT and is_certified(current_user)
    return render_template(
        "core/start.html",
        courses=courses,
        current=current,
        next_step=step,
        certified=certified,
        Role=Role,
    )


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (tillgänglighetsredogörelse) required by Swedish law."""
    return render_template("core/accessibility.html")


@bp.post("/language")
def language():
    """Switch the interface language (cookie, and the user's setting when logged in)."""
    choice = request.form.get("language", "")
    target = request.form.get("next", "")
    response = redirect(target if is_safe_redirect(target) else url_for("core.start"))
    if choice in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, choice, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
        if current_user.is_authenticated:
            set_user_locale(current_user, choice)
    return response
