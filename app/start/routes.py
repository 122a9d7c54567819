"""The start page."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.progress.guidance import learning_step, work_overview
from app.progress.learner import catalogue_for
from app.reports import queries as report_queries

bp = Blueprint("start", __name__)


@bp.get("/")
def index():
    """The landing page; for a signed-in person their next step (`progress.guidance`) first.

    Learners then see their courses; coordinators and admins what needs attention and the
    coverage at a glance.
    """
    if not current_user.is_authenticated:
        return render_template("start/landing.html")
    step = learning_step(current_user)
    if step is None:  # coordinators and admins: their start is their work
        return render_template(
            "start/work.html",
            work=work_overview(current_user),
            coverage=report_queries.totals(report_queries.coverage_for(current_user)),
        )
    return render_template(
        "start/index.html",
        step=step,
        courses=catalogue_for(current_user),
    )
