"""Course catalogue, course page and lesson page."""

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_from_directory
from flask_login import current_user, login_required

from app.courses import queries
from app.courses.loader import IMAGE_TYPES
from app.courses.services import record_lesson_view
from app.municipalities.facts import facts_of, fill_html

bp = Blueprint("courses", __name__, url_prefix="/courses")


@bp.get("/")
@login_required
def catalogue():
    """The courses meant for the user's role, with progress (`catalogue_of`, from progress)."""
    return render_template("courses/catalogue.html")


@bp.get("/<slug>")
@login_required
def course(slug: str):
    """A course with its modules and lessons; the page asks progress for the learner's figures
    (`course_progress`)."""
    course = queries.get_course_for(current_user, slug) or abort(404)
    return render_template(
        "courses/course.html",
        course=course,
        outline=queries.course_outline(current_user, course),
        completion=queries.completion_of(current_user, course),
    )


@bp.get("/<slug>/files/<path:filename>")
@login_required
def course_file(slug: str, filename: str):
    """An image of a course (diagrams in lessons), if the user's role may take the course."""
    course = queries.get_course_for(current_user, slug) or abort(404)
    if Path(filename).suffix.lower() not in IMAGE_TYPES:
        abort(404)
    return send_from_directory(Path(current_app.config["COURSES_DIR"]) / course.slug, filename)


@bp.get("/<slug>/<module_slug>/<lesson_slug>")
@login_required
def lesson(slug: str, module_slug: str, lesson_slug: str):
    """A lesson with previous and next; opening it records the view."""
    course = queries.get_course_for(current_user, slug) or abort(404)
    outline = queries.course_outline(current_user, course)
    index = next(
        (
            i
            for i, item in enumerate(outline)
            if item.module.slug == module_slug and item.lesson.slug == lesson_slug
        ),
        None,
    )
    if index is None:
        abort(404)
    current = outline[index]
    if not current.viewed:  # a repeated view writes nothing (issue #16: reading is the hot path)
        record_lesson_view(current_user, current.lesson, course)
    following = outline[index + 1] if index + 1 < len(outline) else None
    # The last lesson of a part leads to that part's quiz before the next part begins.
    last_of_part = following is None or following.module.id != current.module.id
    quiz = queries.active_quiz_of(current.module) if last_of_part else None
    return render_template(
        "courses/lesson.html",
        course=course,
        item=current,
        html=fill_html(current.lesson.html, facts_of(current_user.municipality_id)),
        position=index + 1,
        total=len(outline),
        previous=outline[index - 1] if index > 0 else None,
        next=following,
        quiz=quiz,
    )
