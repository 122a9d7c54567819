"""The stratified draw: every attempt covers every question group of the quiz."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.courses.content import Question, Quiz
from app.courses.models import Course, Module
from app.extensions import db
from app.quizzes.services import _draw_questions


def grouped_quiz(sizes: list[int], draws: list[int]) -> Quiz:
    course = Course(slug="prov", title="Prov", audience="employee")
    db.session.add(course)
    db.session.flush()
    module = Module(course_id=course.id, slug="grund", title="Grund")
    db.session.add(module)
    db.session.flush()
    quiz = Quiz(module_id=module.id, title="Prov", pass_mark=70, shuffle=True,
                groups={f"g{n}": draw for n, draw in enumerate(draws)})  # fmt: skip
    db.session.add(quiz)
    db.session.flush()
    for n, size in enumerate(sizes):
        for k in range(size):
            db.session.add(Question(quiz_id=quiz.id, key=f"g{n}-{k}", type="true_false",
                                    prompt="?", group=f"g{n}", position=10 * n + k))  # fmt: skip
    db.session.flush()
    return quiz


@pytest.mark.property
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 4)), min_size=1, max_size=5))
def test_every_attempt_draws_each_groups_number_from_that_group(app, groups):
    sizes = [draw + extra for draw, extra in groups]
    draws = [draw for draw, _ in groups]
    quiz = grouped_quiz(sizes, draws)
    keys = dict(db.session.execute(db.select(Question.id, Question.group)).all())
    for _ in range(5):
        drawn = [question_id for question_id, _ in _draw_questions(quiz)]
        assert len(drawn) == len(set(drawn)) == sum(draws)
        for n, draw in enumerate(draws):
            assert sum(1 for question_id in drawn if keys[question_id] == f"g{n}") == draw
    db.session.rollback()


def test_the_real_end_user_quiz_covers_every_topic_in_every_attempt(synced_courses):
    quiz = db.session.scalar(
        db.select(Quiz).join(Module).join(Course).where(Course.slug == "end-user")
    )
    assert quiz.groups and len(quiz.groups) >= 4 and sum(quiz.groups.values()) == quiz.draw == 10
    groups = dict(
        db.session.execute(db.select(Question.id, Question.group).filter_by(quiz_id=quiz.id)).all()
    )
    for _ in range(50):
        drawn = [groups[question_id] for question_id, _ in _draw_questions(quiz)]
        assert {group: drawn.count(group) for group in quiz.groups} == quiz.groups
