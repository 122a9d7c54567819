"""The real course content meets the programme's minimums and states its figures as the source does."""

import re

from app.courses.loader import load_courses
from app.courses.models import Course, Lesson, Module
from app.courses.services import sync_courses
from app.extensions import db
from app.quizzes.models import Option, Question, Quiz
from app.training.kit import kit_documents
from tests.conftest import COURSES_DIR


def active_lessons(course_slug: str, module_slug: str) -> list[Lesson]:
    return db.session.scalars(
        db.select(Lesson).join(Module).join(Course)
        .where(Course.slug == course_slug, Module.slug == module_slug, Lesson.retired_at.is_(None))
        .order_by(Lesson.position)
    ).all()  # fmt: skip


def quiz_of(course_slug: str, module_slug: str) -> Quiz:
    return db.session.scalar(
        db.select(Quiz).join(Module).join(Course)
        .where(Course.slug == course_slug, Module.slug == module_slug)
    )  # fmt: skip


def test_files_check_clean_with_every_link_and_image_resolved():
    _, errors = load_courses(COURSES_DIR)
    assert [str(e) for e in errors] == []


def test_minimums(app):
    sync_courses(COURSES_DIR)
    assert len(active_lessons("agent", "skills")) >= 5
    assert len(active_lessons("agent", "project")) >= 4
    assert len(active_lessons("end-user", "grunder")) >= 4
    for course, module in (("agent", "skills"), ("agent", "project")):
        quiz = quiz_of(course, module)
        assert len(quiz.questions) >= 8
        assert len({q.type for q in quiz.questions}) >= 3, "mix the question types"
    end_user = quiz_of("end-user", "grunder")
    assert len(end_user.questions) >= 15 and end_user.draw == 10


def test_every_question_explains_and_every_wrong_option_gives_feedback(app):
    sync_courses(COURSES_DIR)
    for question in db.session.scalars(db.select(Question)):
        assert question.explanation.strip(), question.key
    wrong = db.session.scalars(
        db.select(Option).join(Question)
        .where(Option.correct.is_(False), Question.type.in_(["single", "multiple"]))
    ).all()  # fmt: skip
    assert wrong and all(option.feedback.strip() for option in wrong)


def test_lessons_open_with_aims_and_end_with_a_summary(app):
    sync_courses(COURSES_DIR)
    for lesson in db.session.scalars(db.select(Lesson)):
        assert "Efter lektionen kan du" in lesson.source[:400], lesson.slug
        assert "<h2>Sammanfattning</h2>" in lesson.html, lesson.slug


def test_part_two_states_the_figures_of_the_source(app):
    sync_courses(COURSES_DIR)
    text = " ".join(lesson.source for lesson in active_lessons("agent", "project"))
    text = text.replace("\u00a0", " ")
    for figure in (
        "1 580 MWh",
        "3 160 MWh",
        "20 %",
        "40 %",
        "15 kommuner",
        "1 174",
        "1 800",
        "100",
    ):
        assert figure in text, figure
    for example in ("vårdplanering", "rektor", "förskol", "driftpersonal", "konsult"):
        assert example in text.lower(), example


def test_kit_has_its_four_documents_and_a_real_faq():
    documents = {d.slug: d for d in kit_documents(str(COURSES_DIR))}
    assert set(documents) == {"lektionsplan", "deltagarmaterial", "inbjudan", "vanliga-fragor"}
    assert len(re.findall(r"<h3>", documents["vanliga-fragor"].html)) >= 12
    plan = documents["lektionsplan"].html
    assert "<table>" in plan and "kunskapstest" in plan.lower() and "incheck" in plan.lower()
