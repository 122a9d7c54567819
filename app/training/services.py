"""Writes of the training domain: sessions, registration, attendance and self check-in."""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.core.time import utcnow
from app.courses.completion import update_progress
from app.courses.models import Course
from app.extensions import db
from app.training.models import (
    Attendance,
    AttendanceStatus,
    SessionKind,
    TrainingSession,
)
from app.training.queries import is_certified

log = logging.getLogger(__name__)
CHECK_IN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CHECK_IN_EARLY = timedelta(minutes=30)


class TrainingError(Exception):
    """A training action that is not allowed now; the message says why, for the user."""


@dataclass
class SessionDetails:
    """What a form supplies for a session."""

    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    mode: str
    capacity: int | None
    notes: str


def new_check_in_code() -> str:
    """A six-character check-in code, easy to read aloud and type."""
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(6))


def create_session(creator: User, details: SessionDetails) -> TrainingSession:
    """A certified agent's end-user session in their municipality, or an admin's follow-up meeting.

    :raise TrainingError: an uncertified agent, or a role that may not create sessions.
    """
    if creator.role == Role.ADMIN:
        kind, agent_id, municipality_id = SessionKind.AGENT_FOLLOW_UP, None, None
    elif creator.role == Role.AGENT and is_certified(creator):
        kind, agent_id, municipality_id = SessionKind.END_USER, creator.id, creator.municipality_id
    else:
        raise TrainingError(_l("Bara certifierade mötesagenter kan skapa utbildningstillfällen."))
    for _ in range(5):
        session = TrainingSession(
            kind=kind,
            agent_id=agent_id,
            municipality_id=municipality_id,
            created_by_id=creator.id,
            check_in_code=new_check_in_code(),
            registered_count=0,
            **details.__dict__,
        )
        try:
            with db.session.begin_nested():
                db.session.add(session)
            db.session.commit()
            log.info("%s created session %d (%s)", creator.email, session.id, kind)
            return session
        except IntegrityError:
            continue  # a check-in code clash: draw another
    raise TrainingError(_l("Tillfället kunde inte skapas. Försök igen."))


def update_session(session: TrainingSession, details: SessionDetails) -> None:
    """Change a session's details.

    :raise TrainingError: the capacity is below the number already registered.
    """
    if details.capacity is not None and details.capacity < session.registered_count:
        raise TrainingError(
            _l(
                "%(n)d personer är redan anmälda: antalet platser kan inte vara färre.",
                n=session.registered_count,
            )
        )
    for key, value in details.__dict__.items():
        setattr(session, key, value)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # e.g. someone registered while the capacity was lowered
        raise TrainingError(
            _l("Ändringen kunde inte sparas. Ladda om sidan och försök igen.")
        ) from None
    log.info("Session %d updated", session.id)


def cancel_session(session: TrainingSession) -> None:
    """Cancel a session; the people registered see that it is cancelled."""
    if session.cancelled_at is None:
        session.cancelled_at = utcnow()
        db.session.commit()
        log.info("Session %d cancelled", session.id)


def register(user: User, session: TrainingSession, added_by: User | None = None) -> Attendance:
    """Put the user on the list of an upcoming session, if a seat is free.

    :raise TrainingError: cancelled, over, full, or already on the list.
    """
    if session.cancelled:
        raise TrainingError(_l("Tillfället är inställt."))
    if session.ends_at <= utcnow():
        raise TrainingError(_l("Tillfället har redan varit."))
    return _take_seat(user, session, added_by)


def _take_seat(user: User, session: TrainingSession, added_by: User | None) -> Attendance:
    """Count the seat and add the list row in one transaction; the database refuses overbooking.

    :raise TrainingError: the session is full, or the user is already on the list.
    """
    taken = db.session.execute(
        db.update(TrainingSession)
        .where(
            TrainingSession.id == session.id,
            (TrainingSession.capacity.is_(None))
            | (TrainingSession.registered_count < TrainingSession.capacity),
        )
        .values(registered_count=TrainingSession.registered_count + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        db.session.rollback()
        raise TrainingError(_l("Tillfället är fullt."))
    attendance = Attendance(
        session_id=session.id,
        user_id=user.id,
        status=AttendanceStatus.REGISTERED,
        marked_by_id=added_by.id if added_by else None,
        marked_at=utcnow() if added_by else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attendance)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # gives the seat back too: both writes were one transaction
        raise TrainingError(_l("%(name)s är redan anmäld.", name=user.name)) from None
    db.session.refresh(session)
    log.info("%s is on the list of session %d", user.email, session.id)
    return attendance


def unregister(user: User, session: TrainingSession) -> None:
    """Take the user off the list before the session starts, freeing the seat.

    :raise TrainingError: the session has started, or the user is not registered.
    """
    if session.starts_at <= utcnow():
        raise TrainingError(_l("Tillfället har redan börjat."))
    removed = db.session.execute(
        db.delete(Attendance).where(
            Attendance.session_id == session.id,
            Attendance.user_id == user.id,
            Attendance.status == AttendanceStatus.REGISTERED,
        )
    )
    if removed.rowcount != 1:
        db.session.rollback()
        raise TrainingError(_l("Du är inte anmäld till tillfället."))
    db.session.execute(
        db.update(TrainingSession)
        .where(TrainingSession.id == session.id)
        .values(registered_count=TrainingSession.registered_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(session)
    log.info("%s unregistered from session %d", user.email, session.id)


def mark_attendance(marker: User, session: TrainingSession, statuses: dict[int, str]) -> int:
    """Set attended / no-show for people on the list; record who marked and when.

    Attending may complete a course (the end-user course via session, or the agent course
    after the follow-up meeting). Returns how many marks changed.

    :raise TrainingError: the session has not started yet, or is cancelled.
    """
    if session.cancelled:
        raise TrainingError(_l("Tillfället är inställt."))
    if session.starts_at > utcnow():
        raise TrainingError(_l("Närvaro kan markeras först när tillfället har börjat."))
    rows = db.session.scalars(
        db.select(Attendance).where(
            Attendance.session_id == session.id, Attendance.user_id.in_(list(statuses))
        )
    ).all()
    now, changed, attended = utcnow(), 0, []
    for row in rows:
        status = statuses[row.user_id]
        if status not in (AttendanceStatus.ATTENDED, AttendanceStatus.NO_SHOW):
            continue
        if row.status != status:
            row.status, row.marked_by_id, row.marked_at = status, marker.id, now
            changed += 1
        if status == AttendanceStatus.ATTENDED:
            attended.append(row.user_id)
    db.session.commit()
    _update_completions(session, attended)
    log.info("%s marked %d attendance(s) at session %d", marker.email, changed, session.id)
    return changed


def add_walk_in(marker: User, session: TrainingSession, person: User) -> None:
    """Someone who came without registering: on the list and marked attended at once.

    :raise TrainingError: cancelled, before the start, the agent themselves, or the session is full.
    """
    if session.cancelled:
        raise TrainingError(_l("Tillfället är inställt."))
    if person.id == session.agent_id:
        raise TrainingError(_l("Utbildaren kan inte vara deltagare på sitt eget tillfälle."))
    if session.starts_at > utcnow():
        raise TrainingError(_l("Närvaro kan markeras först när tillfället har börjat."))
    existing = db.session.scalar(
        db.select(Attendance).filter_by(session_id=session.id, user_id=person.id)
    )
    if existing is None:
        _take_seat(person, session, added_by=marker)
    mark_attendance(marker, session, {person.id: AttendanceStatus.ATTENDED})


def check_in(user: User, code: str) -> TrainingSession:
    """Self check-in with the session's code, from 30 minutes before the start until the end.

    :raise TrainingError: an unknown code, outside the window, or another municipality's session.
    """
    normalised = "".join(code.split()).upper()[:8]
    session = db.session.scalar(db.select(TrainingSession).filter_by(check_in_code=normalised))
    if session is None or session.cancelled:
        raise TrainingError(_l("Koden finns inte. Kontrollera att du har skrivit rätt."))
    now = utcnow()
    if now < session.starts_at - CHECK_IN_EARLY or now > session.ends_at:
        raise TrainingError(
            _l("Incheckningen är öppen från 30 minuter före start tills tillfället slutar.")
        )
    if session.kind == SessionKind.END_USER and user.municipality_id != session.municipality_id:
        raise TrainingError(_l("Tillfället hör till en annan kommun."))
    if user.id == session.agent_id:
        raise TrainingError(_l("Utbildaren kan inte vara deltagare på sitt eget tillfälle."))
    if session.kind == SessionKind.AGENT_FOLLOW_UP and user.role != Role.AGENT:
        raise TrainingError(_l("Uppföljningsmötet är för mötesagenter."))
    row = db.session.scalar(db.select(Attendance).filter_by(session_id=session.id, user_id=user.id))
    if row is None:
        row = _take_seat(user, session, added_by=None)
    row.status, row.marked_by_id, row.marked_at = AttendanceStatus.ATTENDED, user.id, now
    db.session.commit()
    _update_completions(session, [user.id])
    log.info("%s checked in to session %d", user.email, session.id)
    return session


def _update_completions(session: TrainingSession, user_ids: list[int]) -> None:
    """Attending can complete a course: re-check it for everyone marked attended."""
    if not user_ids:
        return
    audience = "agent" if session.kind == SessionKind.AGENT_FOLLOW_UP else "employee"
    courses = db.session.scalars(
        db.select(Course).where(Course.audience == audience, Course.retired_at.is_(None))
    ).all()
    for user in db.session.scalars(db.select(User).where(User.id.in_(user_ids))):
        for course in courses:
            update_progress(user, course)
