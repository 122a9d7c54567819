"""The practice page of a course part: tick what you did in a real meeting, with a note."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.courses import queries as course_queries
from app.municipalities.facts import facts_of, fill_html
from app.practice import queries
from app.practice.services import NOTE_MAX, TaskEntry, save_practice

bp = Blueprint("practice", __name__)


def _module_practice_or_404(slug: str, module_slug: str):
    """The course, module and practice behind a URL, if the user's role may take the course.

    :raise 404: unknown course or module, a module without practice, a course for another role.
    """
    course = course_queries.get_course_for(current_user, slug) or abort(404)
    found = queries.module_practice(course, module_slug) or abort(404)
    return course, *found


def _entries(tasks) -> tuple[dict[int, TaskEntry], dict[int, str]]:
    """The form's ticks and notes per task, and an error per task that needs one."""
    entries, errors = {}, {}
    for task in tasks:
        done = request.form.get(f"done-{task.id}") == "1"
        note = " ".join(request.form.get(f"note-{task.id}", "").split())
        if done and not note:
            errors[task.id] = _("Skriv en rad om hur det gick.")
        elif len(note) > NOTE_MAX:
            errors[task.id] = _("Skriv högst %(n)d tecken.", n=NOTE_MAX)
        entries[task.id] = TaskEntry(done, note)
    return entries, errors


@bp.route("/courses/<slug>/<module_slug>/practice", methods=["GET", "POST"])
@login_required
def page(slug: str, module_slug: str):
    """The practice tasks with help, the learner's ticks and notes, and who confirms them."""
    course, module, practice = _module_practice_or_404(slug, module_slug)
    tasks = queries.active_tasks(practice)
    form = FlaskForm()
    errors: dict[int, str] = {}
    entries: dict[int, TaskEntry] | None = None
    if request.method == "POST":
        entries, errors = _entries(tasks)
        if not form.validate_on_submit():
            errors = errors or {tasks[0].id: _("Formuläret hade gått ut. Skicka det igen.")}
        if not errors:
            save_practice(current_user, course, practice, entries)
            flash(_("Dina övningar är sparade."), "info")
            return redirect(url_for(".page", slug=slug, module_slug=module_slug))
    checks = queries.checks_of(current_user, practice)
    if entries is None:
        entries = {
            task.id: TaskEntry(task.id in checks, checks[task.id].note if task.id in checks else "")
            for task in tasks
        }
    values = facts_of(current_user.municipality_id)
    return render_template(
        "practice/page.html",
        course=course,
        module=module,
        practice=practice,
        tasks=[(task, fill_html(task.help_html, values)) for task in tasks],
        entries=entries,
        errors=errors,
        done=sum(1 for task in tasks if task.id in checks),
        confirmation=queries.confirmation_of(current_user, practice),
    ), 422 if errors else 200
