"""The one service that decides and records module and course completion.

It sends `course_completed` and `completion_withdrawn` (`app.core.events`) inside the caller's
transaction, so a completion and its certificate are one write; nothing here commits. Lists,
so that a whole session's attendees cost a fixed number of statements.
"""

import logging
from datetime import datetime

from sqlalchemy import ColumnElement, and_, distinct, exists, func, null, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.certificates.models import Certificate
from app.core.events import completion_withdrawn, course_completed
from app.core.time import utcnow
from app.courses.content import Quiz
from app.courses.models import (
    Audience,
    CompletionMethod,
    Course,
    CourseCompletion,
    ModuleCompletion,
)
from app.courses.queries import active_modules
from app.extensions import db
from app.practice.models import PracticeConfirmation
from app.practice.queries import trainer_practices
from app.progress.learner import module_progress
from app.progress.rules import certified_at, follow_up_attended, marked_attended, session_counts
from app.quizzes.models import AttemptState, QuizAttempt
from app.training.models import Attendance, SessionKind, TrainingSession

log = logging.getLogger(__name__)


def practice_confirmed(course: Course, user_id) -> ColumnElement[bool]:
    """A trainer confirmed every practice of the course that needs it (true when none does).

    Only then does an attended follow-up meeting count towards certification.
    """
    total = select(func.count()).select_from(trainer_practices(course).subquery())
    confirmed = select(func.count(PracticeConfirmation.id)).where(
        PracticeConfirmation.user_id == user_id,
        PracticeConfirmation.practice_id.in_(trainer_practices(course)),
    )
    return confirmed.scalar_subquery() == total.scalar_subquery()


def modules_complete(course: Course, user_id) -> ColumnElement[bool]:
    """Every active module of the course has a recorded completion for the person."""
    modules = select(func.count()).select_from(active_modules(course).subquery()).scalar_subquery()
    done = (
        select(func.count(ModuleCompletion.id))
        .where(
            ModuleCompletion.user_id == user_id,
            ModuleCompletion.module_id.in_(active_modules(course)),
        )
        .scalar_subquery()
    )
    return and_(modules > 0, done == modules)


def quizzes_passed(course: Course, user_id) -> ColumnElement[bool]:
    """Every active quiz of the course's active modules is passed (true when there are none)."""
    quizzes = select(Quiz.id).where(
        Quiz.module_id.in_(active_modules(course)), Quiz.retired_at.is_(None)
    )
    total = select(func.count()).select_from(quizzes.subquery()).scalar_subquery()
    passed = (
        select(func.count(distinct(QuizAttempt.quiz_id)))
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.state == AttemptState.SUBMITTED,
            QuizAttempt.passed.is_(True),
            QuizAttempt.quiz_id.in_(quizzes),
        )
        .scalar_subquery()
    )
    return passed == total


def first_session_attended(user_id):
    """The first counting end-user session the person attended as a participant (a scalar
    subquery)."""
    return (
        select(TrainingSession.id)
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(
            Attendance.user_id == user_id,
            marked_attended(),
            TrainingSession.agent_id != user_id,
            session_counts(),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
        .limit(1)
        .scalar_subquery()
    )


def update_progress(user: User, course: Course, live: bool = True) -> CourseCompletion | None:
    """Record the module completions that now hold, then the course completion if it holds
    (the caller commits).

    Returns the course completion when the course is (now or already) complete.
    """
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
        if item.complete and module_id not in recorded:
            _insert_once(ModuleCompletion(user_id=user.id, module_id=module_id))
    complete_course(course, [user.id], live=live)
    return db.session.scalar(
        db.select(CourseCompletion).filter_by(user_id=user.id, course_id=course.id)
    )


def complete_course(
    course: Course, user_ids: list[int], at: datetime | None = None, live: bool | None = None
) -> list[CourseCompletion]:
    """Record the course completion for each person for whom it now holds (a fixed number of
    statements; the caller commits).

    Via a session: an end-user course whose quizzes are passed, by someone who attended a held
    session. Online: every module complete and, where the course requires it, a follow-up
    meeting attended where the trainer confirmed the practice. Agents whose certificate was
    revoked are re-certified by a follow-up meeting that started after the revocation. Returns
    the new completions, dated `at` (now unless recorded afterwards, as the demo data's history
    is). `live` (default: no `at`) tells the people by e-mail; a repair does not.
    """
    if not user_ids:
        return []
    now = at or utcnow()
    via_session = (
        first_session_attended(User.id) if course.audience == Audience.EMPLOYEE else null()
    )
    online = modules_complete(course, User.id)
    if course.follow_up_required:
        online = and_(online, follow_up_attended(User.id), practice_confirmed(course, User.id))
    already = exists(
        select(CourseCompletion.id).where(
            CourseCompletion.user_id == User.id, CourseCompletion.course_id == course.id
        )
    )
    has_modules = select(func.count()).select_from(active_modules(course).subquery())
    rows = db.session.execute(
        select(
            User.id, via_session, quizzes_passed(course, User.id), online,
            has_modules.scalar_subquery() > 0,
        ).where(User.id.in_(user_ids), ~already)
    ).all()  # fmt: skip
    new = []
    for user_id, session_id, quizzes_ok, online_ok, content in rows:
        if session_id is not None and quizzes_ok and content:
            method = CompletionMethod.SESSION
        elif online_ok:
            method, session_id = CompletionMethod.ONLINE, None
        else:
            continue
        new.append(
            CourseCompletion(
                user_id=user_id,
                course_id=course.id,
                method=method,
                session_id=session_id,
                course_version=course.version,
                completed_at=now,
            )
        )
    new = _insert_all(new)
    recertified = _recertified(course, user_ids) if course.audience == Audience.AGENT else []
    for completion in new:
        log.info(
            "User %d completed course %s (%s)", completion.user_id, course.slug, completion.method
        )
    if new or recertified:
        # `live`: happening now (tell the people), not history recorded afterwards (demo data)
        course_completed.send(
            course, completions=new + recertified, live=(at is None) if live is None else live
        )
    return new


def _recertified(course: Course, user_ids: list[int]) -> list[CourseCompletion]:
    """Completions of agents with no valid certificate who attended a follow-up after revocation."""
    revoked = (
        select(func.max(Certificate.revoked_at))
        .where(Certificate.user_id == CourseCompletion.user_id, Certificate.course_id == course.id)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(CourseCompletion).where(
                CourseCompletion.course_id == course.id,
                CourseCompletion.user_id.in_(user_ids),
                ~certified_at(CourseCompletion.user_id),
                revoked.is_not(None),
                follow_up_attended(CourseCompletion.user_id, after=revoked),
            )
        )
    )


def complete_via_attendance(training_session: TrainingSession, user_ids: list[int]) -> None:
    """Attending can complete a course: the end-user course at a session, the agent course at a
    follow-up meeting (a fixed number of statements however many attended; the caller commits)."""
    if not user_ids:
        return
    for course in _courses_for(training_session):
        complete_course(course, user_ids)


def _courses_for(training_session: TrainingSession) -> list[Course]:
    """The active courses that attending this kind of session can complete."""
    audience = (
        Audience.AGENT
        if training_session.kind == SessionKind.AGENT_FOLLOW_UP
        else Audience.EMPLOYEE
    )
    return list(
        db.session.scalars(
            db.select(Course).where(Course.audience == audience, Course.retired_at.is_(None))
        )
    )


def withdraw_via_session(training_session: TrainingSession, user_ids: list[int], by: User) -> None:
    """People marked absent after all: the completions that rested on their attendance go.

    At an end-user session: their completions via this session. At a follow-up meeting: their
    agent-course completions, unless they attended another follow-up meeting. Each person's
    progress is then checked again, since they may have completed online or elsewhere (the
    caller commits).
    """
    if not user_ids:
        return
    if training_session.kind == SessionKind.END_USER:
        rested = CourseCompletion.session_id == training_session.id
    else:
        follow_up_courses = db.select(Course.id).where(Course.follow_up_required.is_(True))
        rested = and_(
            CourseCompletion.course_id.in_(follow_up_courses),
            ~follow_up_attended(CourseCompletion.user_id),
        )
    _withdraw(
        db.session.scalars(
            select(CourseCompletion).where(rested, CourseCompletion.user_id.in_(user_ids))
        ).all(),
        by,
    )


def withdraw_after_revocation(agent: User, revoked_at: datetime, by: User | None) -> None:
    """An agent's certification ended: completions at their sessions that start afterwards will
    never count, so they go (the people may complete again at another agent's session)."""
    later = db.select(TrainingSession.id).where(
        TrainingSession.agent_id == agent.id, TrainingSession.starts_at >= revoked_at
    )
    _withdraw(
        db.session.scalars(
            select(CourseCompletion).where(CourseCompletion.session_id.in_(later))
        ).all(),
        by,
    )


def _withdraw(withdrawn: list[CourseCompletion], by: User | None) -> None:
    """Remove completions that no longer hold, tell the subscribers, then check progress again."""
    if not withdrawn:
        return
    db.session.execute(
        db.delete(CourseCompletion).where(
            CourseCompletion.id.in_([completion.id for completion in withdrawn])
        )
    )
    log.info("%d completion(s) withdrawn", len(withdrawn))
    by_course: dict[int, list[CourseCompletion]] = {}
    for completion in withdrawn:
        by_course.setdefault(completion.course_id, []).append(completion)
    for course_id, completions in by_course.items():
        course = db.session.get(Course, course_id)
        completion_withdrawn.send(course, completions=completions, by=by)
        complete_course(course, [completion.user_id for completion in completions])


def _insert_all(rows: list) -> list:
    """Insert rows guarded by unique constraints; rows whose twin already exists are left out."""
    if not rows:
        return []
    try:
        with db.session.begin_nested():
            db.session.add_all(rows)
        return rows
    except IntegrityError:  # a concurrent request recorded some of them: insert one by one
        return [row for row in rows if _insert_once(row)]


def _insert_once(row) -> bool:
    """Insert a row guarded by a unique constraint; False when a twin already exists."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
        return True
    except IntegrityError:
        return False
