"""Progress for tests: lessons read, quiz attempts recorded, agents taken through their course."""

from datetime import timedelta

from app.core.roles import Role
from app.core.time import utcnow
from app.courses.content import Quiz
from app.courses.models import Audience, Course, Lesson, Module
from app.courses.services import record_lesson_view
from app.extensions import db
from app.practice.queries import trainer_practice
from app.progress.completion import update_progress
from app.quizzes.models import AttemptState, QuizAttempt
from app.training.models import AttendanceStatus
from app.training.services import confirm_practice, create_session, mark_attendance, register
from tests.support.training import details, do_practice, move


def course_of(audience) -> Course:
    """The course for the audience."""
    return db.session.scalar(db.select(Course).where(Course.audience == audience))


def lessons_of(course, module_position=None):
    """The course's lessons in order (of one module, given its position)."""
    query = db.select(Lesson).join(Module).where(Module.course_id == course.id)
    if module_position is not None:
        query = query.where(Module.position == module_position)
    return db.session.scalars(query.order_by(Module.position, Lesson.position)).all()


def read(user, course, module_position=None, count=None):
    """Record the user's views of the course's lessons (the first `count`; of one module)."""
    for lesson in lessons_of(course, module_position)[:count]:
        record_lesson_view(user, lesson, course)


def attempt(user, course, module_position, passed=True):
    """Record a submitted attempt at the module's quiz, passed or failed; return the quiz."""
    quiz = db.session.scalar(
        db.select(Quiz)
        .join(Module)
        .where(Module.course_id == course.id, Module.position == module_position)
    )
    number = 1 + (
        db.session.scalar(
            db.select(db.func.count(QuizAttempt.id)).filter_by(user_id=user.id, quiz_id=quiz.id)
        )
        or 0
    )
    db.session.add(
        QuizAttempt(
            user_id=user.id, quiz_id=quiz.id, number=number, state=AttemptState.SUBMITTED,
            questions=[], score=100 if passed else 10, passed=passed, submitted_at=utcnow(),
        )
    )  # fmt: skip
    db.session.commit()
    update_progress(user, course)
    db.session.commit()
    return quiz


def finish_parts(agent, practice=True):
    """Read every lesson of the agent course and pass every quiz; practise unless told not to."""
    course = course_of(Audience.AGENT)
    read(agent, course)
    for module in course.modules:
        attempt(agent, course, module.position)
    if practice:
        do_practice(agent, course)
    return course


def follow_up(create_user, start_in=timedelta(days=7)):
    """An admin's agent follow-up meeting, in a week unless told otherwise."""
    return create_session(create_user(role=Role.ADMIN), details(start_in=start_in))


def certify_by_the_course(agent, create_user) -> None:
    """Take the agent the whole way: parts, practice, an attended follow-up, practice confirmed."""
    finish_parts(agent)
    meeting = follow_up(create_user)
    register(agent, meeting)
    move(meeting, -timedelta(hours=2))
    trainer = create_user(role=Role.ADMIN)
    mark_attendance(trainer, meeting, {agent.id: AttendanceStatus.ATTENDED})
    confirm_practice(meeting, trainer_practice(), [agent.id], trainer)
