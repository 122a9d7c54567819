"""Quiz pages: start page, the attempt form, the result, and "my attempts"."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import render_error
from app.courses import queries as course_queries
from app.courses.question_types import QUESTION_TYPES, InvalidAnswer
from app.quizzes import queries, services

bp = Blueprint("quizzes", __name__)


def _module_quiz_or_404(slug: str, module_slug: str):
    """The course, module and quiz behind a URL, if the user's role may take that course.

    :raise 404: unknown course or module, a module without quiz, or a course for another role.
    """
    course = course_queries.get_course_for(current_user, slug) or abort(404)
    found = queries.module_quiz(course, module_slug) or abort(404)
    return course, *found


def _own_attempt_or_404(attempt_id: int):
    """The user's own attempt and its course, module and quiz.

    :raise 404: no such attempt, someone else's, or a course the user's role may not take.
    """
    attempt = queries.get_own_attempt(current_user, attempt_id) or abort(404)
    course, module, quiz = queries.attempt_context(attempt) or abort(404)
    if course_queries.get_course_for(current_user, course.slug) is None:
        abort(404)
    return attempt, course, module, quiz


@bp.get("/courses/<slug>/<module_slug>/quiz")
@login_required
def start_page(slug: str, module_slug: str):
    """What the quiz is: questions, pass mark, attempts left; start or continue."""
    course, module, quiz = _module_quiz_or_404(slug, module_slug)
    return render_template(
        "quizzes/start.html",
        course=course,
        module=module,
        quiz=quiz,
        status=queries.quiz_status(current_user, quiz),
        question_count=queries.pool_size(quiz),
    )


@bp.post("/courses/<slug>/<module_slug>/quiz")
@login_required
def start(slug: str, module_slug: str):
    """Start a new attempt (or go back to the open one)."""
    course, module, quiz = _module_quiz_or_404(slug, module_slug)
    try:
        attempt = services.start_attempt(current_user, quiz)
    except services.QuizError as error:
        flash(str(error), "error")
        return redirect(url_for(".start_page", slug=slug, module_slug=module_slug))
    return redirect(url_for(".attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int(max=2147483647):attempt_id>")
@login_required
def attempt(attempt_id: int):
    """The attempt form: every question as a fieldset, answers saved so far filled in."""
    attempt, course, module, quiz = _own_attempt_or_404(attempt_id)
    if not attempt.is_open:
        return redirect(url_for(".result", attempt_id=attempt.id))
    return _render_form(attempt, course, module, quiz)


def _render_form(attempt, course, module, quiz, answers=None, missing=(), status=200):
    return (
        render_template(
            "quizzes/attempt.html",
            attempt=attempt,
            course=course,
            module=module,
            quiz=quiz,
            items=queries.attempt_questions(attempt, answers),
            missing=set(missing),
            field_name=services.field_name,
            question_types=QUESTION_TYPES,
        ),
        status,
    )


@bp.post("/attempts/<int(max=2147483647):attempt_id>")
@login_required
def answer(attempt_id: int):
    """Save the answers for later, or submit them for grading."""
    attempt, course, module, quiz = _own_attempt_or_404(attempt_id)
    if not attempt.is_open:
        flash(_("Försöket är redan inlämnat. Här är resultatet."), "info")
        return redirect(url_for(".result", attempt_id=attempt.id))
    try:
        answers = services.read_answers(attempt, request.form)
    except InvalidAnswer:
        return render_error(
            400,
            _("Svaren kunde inte tas emot: formuläret innehöll något som inte hör till testet."),
        )
    try:
        if request.form.get("action") == "save":
            services.save_answers(current_user, attempt, answers)
            flash(_("Dina svar är sparade. Du kan fortsätta senare."), "info")
            return redirect(url_for(".start_page", slug=course.slug, module_slug=module.slug))
        services.submit_attempt(current_user, attempt, answers)
    except services.MissingAnswers as error:
        return _render_form(attempt, course, module, quiz, answers, error.question_ids, 422)
    except services.AttemptClosed:
        flash(_("Försöket är redan inlämnat. Här är resultatet."), "info")
    return redirect(url_for(".result", attempt_id=attempt.id))


@bp.get("/attempts/<int(max=2147483647):attempt_id>/result")
@login_required
def result(attempt_id: int):
    """Score, what a pass completed or how to try again, and each question's verdict."""
    attempt, course, module, quiz = _own_attempt_or_404(attempt_id)
    if attempt.is_open:
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    return render_template(
        "quizzes/result.html",
        attempt=attempt,
        course=course,
        module=module,
        quiz=quiz,
        items=queries.attempt_questions(attempt),
        status=queries.quiz_status(current_user, quiz),
        question_types=QUESTION_TYPES,
    )


@bp.get("/attempts/")
@login_required
def history():
    """All of the user's attempts."""
    return render_template("quizzes/history.html", rows=queries.attempts_of(current_user))
