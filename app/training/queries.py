"""Reads of the training domain; each a fixed number of queries."""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import contains_eager

from app.auth.models import Role, User
from app.courses.completion import certified_agents
from app.courses.models import CourseCompletion
from app.extensions import db
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession


def is_certified(user: User) -> bool:
    """True when the user completed the agent course (both parts and the follow-up meeting)."""
    return (
        db.session.scalar(certified_agents().where(CourseCompletion.user_id == user.id).limit(1))
        is not None
    )


def can_see(user: User, session: TrainingSession) -> bool:
    """End-user sessions: people of the municipality; follow-up meetings: agents; admins: all."""
    if user.role == Role.ADMIN:
        return True
    if session.kind == SessionKind.AGENT_FOLLOW_UP:
        return user.role == Role.AGENT
    return user.municipality_id == session.municipality_id


def can_manage(user: User, session: TrainingSession) -> bool:
    """The session's own agent, or an admin."""
    return user.role == Role.ADMIN or (session.agent_id is not None and session.agent_id == user.id)


def get_visible(user: User, session_id: int) -> TrainingSession | None:
    """The session if the user may see it; None exactly as if it did not exist (1 query)."""
    session = db.session.get(TrainingSession, session_id)
    return session if session is not None and can_see(user, session) else None


@dataclass
class SessionRow:
    """A session in a list, with the viewer's own registration status."""

    session: TrainingSession
    my_status: str | None


def upcoming_for(user: User, now) -> list[SessionRow]:
    """Sessions the user may join that have not ended, soonest first (1 query)."""
    visible = [TrainingSession.kind == SessionKind.END_USER]
    if user.role != Role.ADMIN:
        visible.append(TrainingSession.municipality_id == user.municipality_id)
    kinds = and_(*visible)
    if user.role in (Role.AGENT, Role.ADMIN):
        kinds = or_(kinds, TrainingSession.kind == SessionKind.AGENT_FOLLOW_UP)
    rows = db.session.execute(
        db.select(TrainingSession, Attendance.status)
        .outerjoin(
            Attendance,
            and_(Attendance.session_id == TrainingSession.id, Attendance.user_id == user.id),
        )
        .where(kinds, TrainingSession.ends_at > now)
        .order_by(TrainingSession.starts_at)
    ).all()
    return [SessionRow(session, status) for session, status in rows]


def my_sessions(user: User) -> list[SessionRow]:
    """Sessions the user is or was on the list of, newest first (1 query)."""
    rows = db.session.execute(
        db.select(TrainingSession, Attendance.status)
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(Attendance.user_id == user.id)
        .order_by(TrainingSession.starts_at.desc())
    ).all()
    return [SessionRow(session, status) for session, status in rows]


def participants(session: TrainingSession) -> list[Attendance]:
    """The list, alphabetical by name, with each person loaded (1 query)."""
    return list(
        db.session.scalars(
            db.select(Attendance)
            .join(User, Attendance.user_id == User.id)
            .where(Attendance.session_id == session.id)
            .order_by(User.name, User.email)
            .options(contains_eager(Attendance.user))
        )
    )


def roster_search(session: TrainingSession, text: str, limit: int = 20) -> list[User]:
    """Active people who may join this session and match a name or email (1 query)."""
    text = text.strip().lower()
    if len(text) < 2:
        return []
    pattern = f"%{text.replace('%', '').replace('_', '')}%"
    query = db.select(User).where(
        User.active.is_(True),
        or_(func.lower(User.name).like(pattern), User.email.like(pattern)),
        User.id.not_in(db.select(Attendance.user_id).where(Attendance.session_id == session.id)),
    )
    if session.kind == SessionKind.END_USER:
        query = query.where(User.municipality_id == session.municipality_id)
    else:
        query = query.where(User.role == Role.AGENT)
    return list(db.session.scalars(query.order_by(User.name).limit(limit)))


@dataclass
class ReachRow:
    """One of an agent's sessions with its counts."""

    session: TrainingSession
    registered: int
    attended: int
    completed: int


def reach_of(agent: User) -> list[ReachRow]:
    """The agent's sessions with registered, attended and completed-via-session counts (1 query)."""
    completed = (
        db.select(func.count(CourseCompletion.id))
        .where(CourseCompletion.session_id == TrainingSession.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        db.select(
            TrainingSession,
            func.count(Attendance.id),
            func.count(Attendance.id).filter(Attendance.status == AttendanceStatus.ATTENDED),
            completed,
        )
        .outerjoin(Attendance, Attendance.session_id == TrainingSession.id)
        .where(TrainingSession.agent_id == agent.id)
        .group_by(TrainingSession.id)
        .order_by(TrainingSession.starts_at.desc())
    ).all()
    return [ReachRow(*row) for row in rows]


def my_attendance(user: User, session: TrainingSession) -> Attendance | None:
    """The user's own row on the session's list, if any (1 query)."""
    return db.session.scalar(
        db.select(Attendance).filter_by(session_id=session.id, user_id=user.id)
    )
