"""Quiz fixtures: the small course of tests.support.quizzes, synced, and a learner."""

import pytest

from app.core.roles import Role
from app.courses.content import Quiz
from app.courses.models import Course
from app.courses.services import sync_courses
from app.extensions import db
from tests.support.quizzes import write_quiz_course


@pytest.fixture
def quiz_course(app, tmp_path) -> Course:
    """The synced course (employees; max two attempts; no shuffle)."""
    sync_courses(write_quiz_course(tmp_path / "courses"))
    return db.session.scalar(db.select(Course).filter_by(slug="prov"))


@pytest.fixture
def quiz(quiz_course) -> Quiz:
    return db.session.scalar(db.select(Quiz))


@pytest.fixture
def learner(create_user):
    return create_user(role=Role.EMPLOYEE)
