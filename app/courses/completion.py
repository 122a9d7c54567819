"""The one service that decides and records module and course completion (DESIGN §5).

Later features (certificates, xAPI) subscribe to `course_completed`, sent once per user and
course, after the completion is committed.
"""

import logging

from blinker import Namespace
from sqlalchemy import and_, case, func
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.courses.models import (
    CompletionMethod,
    Course,
    CourseCompletion,
    Lesson,
    LessonView,
    Module,
    ModuleCompletion,
)
from app.extensions import db
from app.quizzes.models import AttemptState, Quiz, QuizAttempt
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession

log = logging.getLogger(__name__)
signals = Namespace()
course_completed = signals.signal("course-completed")


def module_progress(user: User, course: Course) -> dict[int, dict]:
    """Per active module: lessons, lessons viewed, quiz id, quiz passed (2 queries)."""
    lesson_rows = db.session.execute(
        db.select(Module.id, func.count(Lesson.id), func.count(LessonView.id))
        .outerjoin(Lesson, and_(Lesson.module_id == Module.id, Lesson.retired_at.is_(None)))
        .outerjoin(
            LessonView, and_(LessonView.lesson_id == Lesson.id, LessonView.user_id == user.id)
        )
        .where(Module.course_id == course.id, Module.retired_at.is_(None))
        .group_by(Module.id)
    ).all()
    passed = func.max(case((QuizAttempt.passed.is_(True), 1), else_=0))
    quiz_rows = db.session.execute(
        db.select(Quiz.module_id, Quiz.id, passed)
        .join(Module, Quiz.module_id == Module.id)
        .outerjoin(
            QuizAttempt,
            and_(
                QuizAttempt.quiz_id == Quiz.id,
                QuizAttempt.user_id == user.id,
                QuizAttempt.state == AttemptState.SUBMITTED,
            ),
        )
        .where(Module.course_id == course.id, Quiz.retired_at.is_(None))
        .group_by(Quiz.module_id, Quiz.id)
    ).all()
    progress = {
        module_id: {"lessons": lessons, "viewed": viewed, "quiz_id": None, "quiz_passed": True}
        for module_id, lessons, viewed in lesson_rows
    }
    for module_id, quiz_id, quiz_passed in quiz_rows:
        if module_id in progress:
            progress[module_id].update(quiz_id=quiz_id, quiz_passed=bool(quiz_passed))
    for item in progress.values():
        item["complete"] = item["viewed"] >= item["lessons"] and item["quiz_passed"]
    return progress


def attended_follow_up(user: User) -> bool:
    """True when the user attended an agent follow-up meeting (web) that was not cancelled."""
    return (
        db.session.scalar(
            db.select(Attendance.id)
            .join(TrainingSession, Attendance.session_id == TrainingSession.id)
            .where(
                Attendance.user_id == user.id,
                Attendance.status == AttendanceStatus.ATTENDED,
                TrainingSession.kind == SessionKind.AGENT_FOLLOW_UP,
                TrainingSession.cancelled_at.is_(None),
            )
            .limit(1)
        )
        is not None
    )


def certified_agents():
    """The ids of certified agents: everyone who completed a course for agents (a subquery)."""
    return (
        db.select(CourseCompletion.user_id)
        .join(Course, CourseCompletion.course_id == Course.id)
        .where(Course.audience == "agent")
    )


def attended_end_user_session(user: User) -> int | None:
    """The id of an end-user session of a certified agent that the user attended, if any."""
    return db.session.scalar(
        db.select(TrainingSession.id)
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(
            Attendance.user_id == user.id,
            Attendance.status == AttendanceStatus.ATTENDED,
            TrainingSession.kind == SessionKind.END_USER,
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.agent_id.in_(certified_agents()),
            TrainingSession.agent_id != user.id,
        )
        .order_by(TrainingSession.starts_at)
        .limit(1)
    )


def update_progress(user: User, course: Course) -> CourseCompletion | None:
    """Record the module completions that now hold, then the course completion if it holds.

    Returns the course completion when the course is (now or already) complete.
    """
    existing = db.session.scalar(
        db.select(CourseCompletion).filter_by(user_id=user.id, course_id=course.id)
    )
    progress = module_progress(user, course)
    recorded = set(
        db.session.scalars(
            db.select(ModuleCompletion.module_id).where(
                ModuleCompletion.user_id == user.id,
                ModuleCompletion.module_id.in_(list(progress)),
            )
        )
    )
    for module_id, item in progress.items():
        if item["complete"] and module_id not in recorded:
            _insert_once(ModuleCompletion(user_id=user.id, module_id=module_id))
    db.session.commit()
    if existing is not None:
        return existing
    method, session_id = _completion_method(user, course, progress)
    if method is None:
        return None
    completion = CourseCompletion(
        user_id=user.id,
        course_id=course.id,
        method=method,
        session_id=session_id,
        course_version=course.version,
    )
    if not _insert_once(completion):
        db.session.commit()
        return db.session.scalar(
            db.select(CourseCompletion).filter_by(user_id=user.id, course_id=course.id)
        )
    db.session.commit()
    log.info("%s completed course %s (%s)", user.email, course.slug, method)
    course_completed.send(completion, user=user, course=course)
    return completion


def _completion_method(user: User, course: Course, progress: dict) -> tuple[str | None, int | None]:
    """How the course is complete now: via a session, online, or not at all."""
    if not progress:
        return None, None
    if course.audience == "employee" and all(i["quiz_passed"] for i in progress.values()):
        session_id = attended_end_user_session(user)
        if session_id is not None:
            return CompletionMethod.SESSION, session_id
    if not all(item["complete"] for item in progress.values()):
        return None, None
    if course.follow_up_required and not attended_follow_up(user):
        return None, None
    return CompletionMethod.ONLINE, None


def _insert_once(row) -> bool:
    """Insert a row guarded by a unique constraint; False when a twin already exists."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
        return True
    except IntegrityError:
        return False
