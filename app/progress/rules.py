"""The programme's rules (DESIGN §5), each defined once as an SQL expression queries compose.

Every page, export, API answer and xAPI statement about the cascade is built from these, so the
headline, the sum of the months and the agents' reach cannot disagree.
"""

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.certificates.models import Certificate, valid_certificate_rule
from app.core.roles import Role
from app.courses.models import Audience, CompletionMethod, Course, CourseCompletion
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession


def certified_at(user_id, at=None) -> ColumnElement[bool]:
    """The person holds an agent-course certificate valid at `at` (now when None).

    A certificate is issued when the agent course is completed (both parts and the follow-up
    meeting) and stops counting from the moment it is revoked.
    """
    certificate = aliased(Certificate)
    course = aliased(Course)
    valid = (
        [valid_certificate_rule(certificate)]
        if at is None
        else [
            certificate.issued_at <= at,
            or_(certificate.revoked_at.is_(None), certificate.revoked_at > at),
        ]
    )
    return exists(
        select(certificate.id)
        .join(course, course.id == certificate.course_id)
        .where(certificate.user_id == user_id, course.audience == Audience.AGENT, *valid)
    )


def active_agent(user=User) -> ColumnElement[bool]:
    """An active agent: the agent role on an account that is not deactivated."""
    return and_(user.role == Role.AGENT, user.active.is_(True))


def certified_agent(user=User) -> ColumnElement[bool]:
    """A certified agent now: an active agent with a valid agent-course certificate."""
    return and_(active_agent(user), certified_at(user.id))


def session_counts(training_session=TrainingSession) -> ColumnElement[bool]:
    """An end-user session that counts: not cancelled, its agent certified when it starts.

    Attendance can be marked from check-in, 30 minutes before the start, so this (not "held")
    decides whether attending completes the course.
    """
    return and_(
        training_session.kind == SessionKind.END_USER,
        training_session.cancelled_at.is_(None),
        certified_at(training_session.agent_id, training_session.starts_at),
    )


def session_held(now: datetime, training_session=TrainingSession) -> ColumnElement[bool]:
    """An end-user session held: it counts (see `session_counts`) and has started."""
    return and_(session_counts(training_session), training_session.starts_at <= now)


def marked_attended(attendance=Attendance) -> ColumnElement[bool]:
    """The attended rule on one list row: marked attended (not registered only, not absent)."""
    return attendance.status == AttendanceStatus.ATTENDED


def attended(training_session_id, user_id) -> ColumnElement[bool]:
    """The person is marked attended at the session (see `marked_attended`)."""
    return exists(
        select(Attendance.id).where(
            Attendance.session_id == training_session_id,
            Attendance.user_id == user_id,
            marked_attended(),
        )
    )


def follow_up_attended(user_id, after=None) -> ColumnElement[bool]:
    """The person attended a follow-up meeting for agents that was not cancelled (that started
    after `after`, when given)."""
    conditions = [
        Attendance.user_id == user_id,
        marked_attended(),
        TrainingSession.kind == SessionKind.AGENT_FOLLOW_UP,
        TrainingSession.cancelled_at.is_(None),
    ]
    if after is not None:
        conditions.append(TrainingSession.starts_at > after)
    return exists(
        select(Attendance.id)
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(*conditions)
    )


def trained_via_session(now: datetime, completion=CourseCompletion) -> ColumnElement[bool]:
    """A completion via a session that counts: still marked attended at a held session.

    The completion itself is recorded only when the end-user quiz is passed too.
    """
    held = aliased(TrainingSession)
    return and_(
        completion.method == CompletionMethod.SESSION,
        attended(completion.session_id, completion.user_id),
        exists(select(held.id).where(held.id == completion.session_id, session_held(now, held))),
    )


def trained_online(completion=CourseCompletion) -> ColumnElement[bool]:
    """A completion of every module online."""
    return completion.method == CompletionMethod.ONLINE


def staff_trained(now: datetime, municipality_id: int | None = None):
    """One row per person trained: active, with a counting end-user completion (a subquery);
    only the people of `municipality_id` when given (filtered before the ranking, so one
    municipality's figures do not rank the whole country).

    Columns: municipality_id, user_id, method, session_id, agent_id (the trainer, for a session),
    completed_at. A person with several counting completions is counted once, at the first.
    """
    mine = [] if municipality_id is None else [User.municipality_id == municipality_id]
    ranked = (
        select(
            User.municipality_id.label("municipality_id"),
            CourseCompletion.user_id.label("user_id"),
            CourseCompletion.method.label("method"),
            CourseCompletion.session_id.label("session_id"),
            TrainingSession.agent_id.label("agent_id"),
            CourseCompletion.completed_at.label("completed_at"),
            func.row_number()
            .over(
                partition_by=CourseCompletion.user_id,
                order_by=(CourseCompletion.completed_at, CourseCompletion.id),
            )
            .label("rank"),
        )
        .join(User, User.id == CourseCompletion.user_id)
        .join(Course, Course.id == CourseCompletion.course_id)
        .outerjoin(TrainingSession, TrainingSession.id == CourseCompletion.session_id)
        .where(
            Course.audience == Audience.EMPLOYEE,
            User.active.is_(True),
            or_(trained_online(), trained_via_session(now)),
            *mine,
        )
        .subquery()
    )
    return (
        select(
            ranked.c.municipality_id,
            ranked.c.user_id,
            ranked.c.method,
            ranked.c.session_id,
            ranked.c.agent_id,
            ranked.c.completed_at,
        )
        .where(ranked.c.rank == 1)
        .subquery("staff_trained")
    )


def attended_join(training_session=TrainingSession) -> ColumnElement[bool]:
    """Join condition: the session's attendance rows marked attended."""
    return and_(Attendance.session_id == training_session.id, marked_attended())


def reach_by_agent(now: datetime, municipality_id: int | None = None):
    """Per agent and municipality: sessions held, distinct attendees at them, and the last
    start (a subquery: agent_id, municipality_id, held, attendees, last); only sessions in
    `municipality_id` when given."""
    mine = [] if municipality_id is None else [TrainingSession.municipality_id == municipality_id]
    return (
        select(
            TrainingSession.agent_id.label("agent_id"),
            TrainingSession.municipality_id.label("municipality_id"),
            func.count(func.distinct(TrainingSession.id)).label("held"),
            func.count(func.distinct(Attendance.user_id)).label("attendees"),
            func.max(TrainingSession.starts_at).label("last"),
        )
        .outerjoin(Attendance, attended_join())
        .where(session_held(now), *mine)
        .group_by(TrainingSession.agent_id, TrainingSession.municipality_id)
        .subquery("reach_by_agent")
    )


def trained_by_agent(now: datetime, municipality_id: int | None = None):
    """Per trainer and the trained people's municipality: staff trained via their sessions
    (a subquery: agent_id, municipality_id, trained); only people of `municipality_id` when
    given."""
    trained = staff_trained(now, municipality_id)
    return (
        select(trained.c.agent_id, trained.c.municipality_id, func.count().label("trained"))
        .where(trained.c.agent_id.is_not(None))
        .group_by(trained.c.agent_id, trained.c.municipality_id)
        .subquery("trained_by_agent")
    )
