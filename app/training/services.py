"""Writes of the training domain: sessions, registration, attendance and self check-in."""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.core.audit import AuditAction, audit, audit_each
from app.core.errors import DomainError, one_transaction
from app.core.events import attendance_marked, practice_confirmed
from app.core.time import utcnow
from app.courses.content import Practice
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import Attachment, queue_mail, queue_mails, render_mail
from app.practice.models import PracticeConfirmation
from app.progress.rules import attended_join
from app.training import access, timing
from app.training.calendar import session_ics
from app.training.models import (
    Attendance,
    AttendanceStatus,
    SessionKind,
    TrainingSession,
)
from app.training.notices import notify_attended

log = logging.getLogger(__name__)
CHECK_IN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CHECK_IN_EARLY = timedelta(minutes=30)


class TrainingError(DomainError):
    """A training action that is not allowed now; the message says why, for the user.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


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


def create_session(
    creator: User, details: SessionDetails, now: datetime | None = None
) -> TrainingSession:
    """A certified agent's end-user session in their municipality, or an admin's follow-up meeting.

    A session may be created after the fact ("registrerat i efterhand") as long as it ended
    inside the recording window.

    :raise TrainingError: an uncertified agent, a role that may not create sessions, or a
        session that ended before the recording window.
    """
    now = now or utcnow()
    if not access.may_run_sessions(creator):
        raise TrainingError(_l("Bara certifierade mötesagenter kan skapa utbildningstillfällen."))
    if access.plans_follow_ups(creator):
        kind, agent_id, municipality_id = SessionKind.AGENT_FOLLOW_UP, None, None
    else:
        kind, agent_id, municipality_id = SessionKind.END_USER, creator.id, creator.municipality_id
    _check_within_window(details, now)
    for _ in range(5):
        training_session = TrainingSession(
            kind=kind,
            agent_id=agent_id,
            municipality_id=municipality_id,
            created_by_id=creator.id,
            check_in_code=new_check_in_code(),
            registered_count=0,
            created_at=now,
            **details.__dict__,
        )
        try:
            with db.session.begin_nested():
                db.session.add(training_session)
            db.session.commit()
            log.info(
                "%s created session %d (%s%s)", creator.email, training_session.id, kind,
                ", after the fact" if training_session.recorded_after_the_fact else "",
            )  # fmt: skip
            return training_session
        except IntegrityError:
            continue  # a check-in code clash: draw another
    raise TrainingError(_l("Tillfället kunde inte skapas. Försök igen."))


def _check_within_window(details: SessionDetails, now: datetime) -> None:
    """:raise TrainingError: the session would lie (start) before the recording window."""
    if details.starts_at < timing.earliest_end(now):
        raise TrainingError(
            _l(
                "Ett tillfälle kan registreras i efterhand bara om det hölls under de senaste "
                "%(days)d dagarna.",
                days=timing.window().days,
            ),
            field="starts_at",
        )


def _has_attendance(training_session: TrainingSession) -> bool:
    return (
        db.session.scalar(
            db.select(Attendance.id)
            .where(
                Attendance.session_id == training_session.id,
                Attendance.status != AttendanceStatus.REGISTERED,
            )
            .limit(1)
        )
        is not None
    )


def update_session(
    training_session: TrainingSession, details: SessionDetails, now: datetime | None = None
) -> None:
    """Change a session's details.

    :raise TrainingError: the session is closed; its time would change although attendance is
        recorded, or move before the recording window; the capacity is below the number
        already registered.
    """
    now = now or utcnow()
    if timing.is_closed(training_session, now):
        raise TrainingError(_l("Tillfället är stängt och kan inte ändras."))
    moved = (details.starts_at, details.ends_at) != (
        training_session.starts_at,
        training_session.ends_at,
    )
    if moved and _has_attendance(training_session):
        raise TrainingError(
            _l("Närvaron är redan registrerad: tiden kan inte längre ändras."), field="starts_at"
        )
    if moved:
        _check_within_window(details, now)
    if details.capacity is not None and details.capacity < training_session.registered_count:
        raise TrainingError(
            _l(
                "%(n)d personer är redan anmälda: antalet platser kan inte vara färre.",
                n=training_session.registered_count,
            ),
            field="capacity",
        )
    for key, value in details.__dict__.items():
        setattr(training_session, key, value)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # e.g. someone registered while the capacity was lowered
        raise TrainingError(
            _l("Ändringen kunde inte sparas. Ladda om sidan och försök igen."), field="capacity"
        ) from None
    log.info("Session %d updated", training_session.id)


def reopen_session(training_session: TrainingSession, by: User, reason: str) -> None:
    """An admin reopens a closed session for late recording, for another window; logged."""
    training_session.reopened_at = utcnow()
    training_session.reopened_by_id = by.id
    training_session.reopen_reason = reason.strip()
    audit(by, AuditAction.SESSION_REOPENED, municipality_id=training_session.municipality_id,
          session=training_session.id, reason=training_session.reopen_reason)  # fmt: skip
    db.session.commit()
    log.info("Session %d reopened by %s: %s", training_session.id, by.email, reason)


def cancel_session(training_session: TrainingSession) -> None:
    """Cancel a session; the people registered see that it is cancelled.

    :raise TrainingError: attendance is already recorded (it would undo their training).
    """
    if training_session.cancelled_at is not None:
        return
    if _has_attendance(training_session):
        raise TrainingError(_l("Närvaron är redan registrerad: tillfället kan inte ställas in."))
    training_session.cancelled_at = utcnow()
    db.session.commit()
    log.info("Session %d cancelled", training_session.id)


def register(
    user: User, training_session: TrainingSession, added_by: User | None = None
) -> Attendance:
    """Put the user on the list of an upcoming session, if a seat is free.

    :raise TrainingError: cancelled, over, full, or already on the list.
    """
    if training_session.cancelled:
        raise TrainingError(_l("Tillfället är inställt."))
    if training_session.ends_at <= utcnow():
        raise TrainingError(_l("Tillfället har redan varit."))
    attendance = _take_seat(user, training_session, added_by)
    db.session.commit()
    db.session.refresh(training_session)
    return attendance


def _calendar_file(training_session: TrainingSession, url: str, host: str) -> Attachment:
    """The session as an .ics attachment."""
    return Attachment(
        f"utbildningstillfalle-{training_session.id}.ics",
        "text/calendar",
        session_ics(training_session, url, host),
    )


def confirm_registration(
    user: User, training_session: TrainingSession, url: str, host: str, added_by: User | None
) -> None:
    """E-mail the person that they are on the list, with the session as a calendar file."""
    _queue_confirmation(user, training_session, url, host, added_by)
    db.session.commit()


def _queue_confirmation(
    user: User, training_session: TrainingSession, url: str, host: str, added_by: User | None
) -> OutboxMessage:
    """Queue the registration e-mail with the .ics (the caller commits)."""
    return queue_mail(
        "registration", user.email, user.locale,
        attachments=(_calendar_file(training_session, url, host),), user=user,
        training_session=training_session, url=url, added_by=added_by,
    )  # fmt: skip


def _take_seat(user: User, training_session: TrainingSession, added_by: User | None) -> Attendance:
    """Count the seat and add the list row; the database refuses overbooking (the caller
    commits, so the seat and the row are one transaction with the rest of its use case).

    :raise TrainingError: the session is full, or the user is already on the list (rolled back).
    """
    taken = db.session.execute(
        db.update(TrainingSession)
        .where(
            TrainingSession.id == training_session.id,
            TrainingSession.has_free_seat(),
        )
        .values(registered_count=TrainingSession.registered_count + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        db.session.rollback()
        raise TrainingError(_l("Tillfället är fullt."))
    attendance = Attendance(
        session_id=training_session.id,
        user_id=user.id,
        status=AttendanceStatus.REGISTERED,
        marked_by_id=added_by.id if added_by else None,
        marked_at=utcnow() if added_by else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attendance)
    except IntegrityError:
        db.session.rollback()  # gives the seat back too: both writes were one transaction
        raise TrainingError(_l("%(name)s är redan anmäld.", name=user.name)) from None
    log.info("%s is on the list of session %d", user.email, training_session.id)
    return attendance


class Added(StrEnum):
    """What adding did for one person."""

    REGISTERED = "registered"  # on the list before the start; the confirmation is queued
    ATTENDED = "attended"  # a walk-in: on the list and marked attended
    MARKED = "marked"  # was on the list already; now marked attended
    ALREADY = "already"  # was on the list already (and attended, once started)


def add_people(
    marker: User, training_session: TrainingSession, people: list[User], url: str, host: str
) -> dict[int, str]:
    """The trainer puts several people on the list at once, all or none, in one transaction
    and a fixed number of statements however many they are.

    Before the start each is registered and gets the confirmation e-mail (`url` and `host` are
    for its calendar file); once started they are walk-ins marked attended, as `add_walk_in`
    does, and those already on the list are marked attended. Returns each person's outcome
    (`Added`) by id. Whom to add is the caller's check (`access.may_be_added`).

    :raise TrainingError: cancelled, closed, the trainer among them, or fewer seats left than
        new people (nobody is added; the message says how many seats are left).
    """
    now = utcnow()
    started = training_session.starts_at <= now
    if started:
        _check_recording_open(training_session, now)
    elif training_session.cancelled:
        raise TrainingError(_l("Tillfället är inställt."))
    people = list({person.id: person for person in people}.values())
    if any(person.id == training_session.agent_id for person in people):
        raise TrainingError(_l("Utbildaren kan inte vara deltagare på sitt eget tillfälle."))
    if not people:
        return {}
    on_list = dict(
        db.session.execute(
            db.select(Attendance.user_id, Attendance.status).where(
                Attendance.session_id == training_session.id,
                Attendance.user_id.in_([person.id for person in people]),
            )
        ).all()
    )
    new = [person for person in people if person.id not in on_list]
    _take_seats(training_session, new, marker, now)
    outcomes = {person.id: Added.ATTENDED if started else Added.REGISTERED for person in new}
    if started:
        for user_id, status in on_list.items():
            attended = status == AttendanceStatus.ATTENDED
            outcomes[user_id] = Added.ALREADY if attended else Added.MARKED
        everyone = {person.id: AttendanceStatus.ATTENDED for person in people}
        mark_attendance(marker, training_session, everyone)  # commits the seats and rows too
    else:
        outcomes.update(dict.fromkeys(on_list, Added.ALREADY))
        _queue_confirmations(new, training_session, url, host, added_by=marker)
        db.session.commit()
    log.info("%s added %d person(s) to session %d", marker.email, len(new), training_session.id)
    return outcomes


def _queue_confirmations(
    people: list[User], training_session: TrainingSession, url: str, host: str, added_by: User
) -> None:
    """Queue everyone's registration e-mail in one INSERT (the caller commits)."""
    calendar = (_calendar_file(training_session, url, host),)
    queue_mails(
        [
            render_mail(
                "registration",
                person.email,
                person.locale,
                attachments=calendar,
                user=person,
                training_session=training_session,
                url=url,
                added_by=added_by,
            )  # fmt: skip
            for person in people
        ]
    )


def _take_seats(
    training_session: TrainingSession, people: list[User], added_by: User, now: datetime
) -> None:
    """Count the seats and insert the list rows in two statements, all or none (the caller
    commits; on a refusal everything is rolled back).

    :raise TrainingError: fewer seats left than people, or one of them was added meanwhile.
    """
    if not people:
        return
    wanted = len(people)
    taken = db.session.execute(
        db.update(TrainingSession)
        .where(
            TrainingSession.id == training_session.id,
            (TrainingSession.capacity.is_(None))
            | (TrainingSession.registered_count + wanted <= TrainingSession.capacity),
        )
        .values(registered_count=TrainingSession.registered_count + wanted)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        db.session.rollback()
        left = max((training_session.capacity or 0) - training_session.registered_count, 0)
        if not left:
            raise TrainingError(_l("Tillfället är fullt: ingen är tillagd."))
        raise TrainingError(
            ngettext(
                "Bara %(num)d plats är ledig men du försökte lägga till %(wanted)d: ingen är "
                "tillagd.",
                "Bara %(num)d platser är lediga men du försökte lägga till %(wanted)d: ingen är "
                "tillagd.",
                left,
                wanted=wanted,
            )
        )
    try:
        db.session.execute(
            db.insert(Attendance),
            [
                {"session_id": training_session.id, "user_id": person.id,
                 "status": AttendanceStatus.REGISTERED, "marked_by_id": added_by.id,
                 "marked_at": now, "registered_at": now}
                for person in people
            ],
        )  # fmt: skip
    except IntegrityError:
        db.session.rollback()  # gives the seats back too: one transaction
        raise TrainingError(
            _l("Listan ändrades samtidigt av någon annan. Ladda om sidan och försök igen.")
        ) from None


def unregister(user: User, training_session: TrainingSession) -> None:
    """Take the user off the list before the session starts, freeing the seat.

    :raise TrainingError: the session has started, or the user is not registered.
    """
    if training_session.starts_at <= utcnow():
        raise TrainingError(_l("Tillfället har redan börjat."))
    removed = db.session.execute(
        db.delete(Attendance).where(
            Attendance.session_id == training_session.id,
            Attendance.user_id == user.id,
            Attendance.status == AttendanceStatus.REGISTERED,
        )
    )
    if removed.rowcount != 1:
        db.session.rollback()
        raise TrainingError(_l("Du är inte anmäld till tillfället."))
    db.session.execute(
        db.update(TrainingSession)
        .where(TrainingSession.id == training_session.id)
        .values(registered_count=TrainingSession.registered_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(training_session)
    log.info("%s unregistered from session %d", user.email, training_session.id)


def _check_recording_open(training_session: TrainingSession, now: datetime) -> None:
    """:raise TrainingError: cancelled, not started yet, or closed."""
    if training_session.cancelled:
        raise TrainingError(_l("Tillfället är inställt."))
    if training_session.starts_at > now:
        raise TrainingError(_l("Närvaro kan markeras först när tillfället har börjat."))
    if timing.is_closed(training_session, now):
        raise TrainingError(
            _l(
                "Tillfället är stängt: närvaro kan registreras högst %(days)d dagar efter att "
                "det slutat. Programkontoret kan öppna det igen.",
                days=timing.window().days,
            )
        )


def mark_attendance(
    marker: User, training_session: TrainingSession, statuses: dict[int, str]
) -> int:
    """Set attended / no-show for people on the list; record who marked and when.

    Runs a fixed number of statements however many are marked, in one transaction for the
    marks: two bulk updates, then one completion pass for everyone attended (the end-user course
    via the session, or the agent course after the follow-up meeting). People marked absent
    after all lose a completion via this session. Returns how many marks changed.

    :raise TrainingError: the session has not started, is cancelled, or is closed.
    """
    now = utcnow()
    _check_recording_open(training_session, now)
    wanted = {
        user_id: status
        for user_id, status in statuses.items()
        if status in (AttendanceStatus.ATTENDED, AttendanceStatus.NO_SHOW)
    }
    before = dict(
        db.session.execute(
            db.select(Attendance.user_id, Attendance.status).where(
                Attendance.session_id == training_session.id,
                Attendance.user_id.in_(list(wanted)),
            )
        ).all()
    )
    changed, newly = 0, {}
    for status in (AttendanceStatus.ATTENDED, AttendanceStatus.NO_SHOW):
        ids = [u for u, s in wanted.items() if s == status and u in before and before[u] != status]
        newly[status] = ids
        if ids:
            changed += db.session.execute(
                db.update(Attendance)
                .where(Attendance.session_id == training_session.id, Attendance.user_id.in_(ids))
                .values(status=status, marked_by_id=marker.id, marked_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
    attended = [u for u, s in wanted.items() if s == AttendanceStatus.ATTENDED and u in before]
    absent_after_all = [
        u
        for u, s in wanted.items()
        if s == AttendanceStatus.NO_SHOW and before.get(u) == AttendanceStatus.ATTENDED
    ]
    with one_transaction():  # the marks, completions, certificates and e-mail: one transaction
        attendance_marked.send(
            training_session, attended=attended, absent_after_all=absent_after_all, by=marker
        )
        notify_attended(training_session, newly[AttendanceStatus.ATTENDED])
        # an audit entry per changed mark, all in one INSERT
        marks = [
            (u, {"session": training_session.id, "status": s}) for s in newly for u in newly[s]
        ]
        audit_each(marker, AuditAction.ATTENDANCE_MARKED, marks,
                   municipality_id=training_session.municipality_id)  # fmt: skip
    db.session.expire_all()  # rows changed in bulk: reload what a page shows next
    log.info("%s marked %d attendance(s) at session %d", marker.email, changed, training_session.id)
    return changed


def add_walk_in(marker: User, training_session: TrainingSession, person: User) -> None:
    """Someone who came without registering: on the list and marked attended at once.

    :raise TrainingError: cancelled, before the start, closed, the agent themselves, or full.
    """
    _check_recording_open(training_session, utcnow())
    if person.id == training_session.agent_id:
        raise TrainingError(_l("Utbildaren kan inte vara deltagare på sitt eget tillfälle."))
    existing = db.session.scalar(
        db.select(Attendance).filter_by(session_id=training_session.id, user_id=person.id)
    )
    if existing is None:
        _take_seat(person, training_session, added_by=marker)
    mark_attendance(marker, training_session, {person.id: AttendanceStatus.ATTENDED})


def check_in(user: User, code: str) -> TrainingSession:
    """Self check-in with the session's code, from 30 minutes before the start until the end.

    :raise TrainingError: an unknown code, outside the window, or a session the user may not join.
        An unknown code, a cancelled session's and one outside its window get the same message,
        so that guessing cannot tell which codes exist.
    """
    normalised = "".join(code.split()).upper()[:8]
    training_session = db.session.scalar(
        db.select(TrainingSession).filter_by(check_in_code=normalised)
    )
    now = utcnow()
    if (
        training_session is None
        or training_session.cancelled
        or not training_session.starts_at - CHECK_IN_EARLY <= now <= training_session.ends_at
    ):
        raise TrainingError(
            _l(
                "Koden gäller inte just nu. Kontrollera att du har skrivit rätt, eller fråga "
                "utbildaren. Incheckningen är öppen från 30 minuter före start tills "
                "tillfället slutar."
            )
        )
    if user.id == training_session.agent_id:
        raise TrainingError(_l("Utbildaren kan inte vara deltagare på sitt eget tillfälle."))
    if training_session.agent is not None and not access.may_run_sessions(training_session.agent):
        raise TrainingError(
            _l("Utbildaren är inte längre certifierad mötesagent, så tillfället räknas inte.")
        )
    if not access.may_join(user, training_session):
        if training_session.kind == SessionKind.AGENT_FOLLOW_UP:
            raise TrainingError(_l("Uppföljningsmötet är för mötesagenter."))
        raise TrainingError(_l("Tillfället hör till en annan kommun."))
    row = db.session.scalar(
        db.select(Attendance).filter_by(session_id=training_session.id, user_id=user.id)
    )
    if row is None:
        row = _take_seat(user, training_session, added_by=None)
    newly = [] if row.status == AttendanceStatus.ATTENDED else [user.id]
    row.status, row.marked_by_id, row.marked_at = AttendanceStatus.ATTENDED, user.id, now
    with one_transaction():
        attendance_marked.send(training_session, attended=[user.id], absent_after_all=[], by=user)
        notify_attended(training_session, newly)
    db.session.refresh(training_session)
    log.info("%s checked in to session %d", user.email, training_session.id)
    return training_session


REMIND_AHEAD = (timedelta(hours=12), timedelta(hours=36))


def send_reminders(base_url: str, host: str, now: datetime | None = None) -> int:
    """Queue the day-before reminder (with the .ics) for everyone registered to a session that
    starts in 12–36 hours and has not been reminded; return how many (a fixed number of
    queries; run it from cron with `flask mail reminders`)."""
    now = now or utcnow()
    rows = db.session.execute(
        db.select(Attendance, User, TrainingSession)
        .join(User, User.id == Attendance.user_id)
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(
            Attendance.status == AttendanceStatus.REGISTERED,
            Attendance.reminded_at.is_(None),
            User.reachable(),
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.starts_at.between(now + REMIND_AHEAD[0], now + REMIND_AHEAD[1]),
        )
    ).all()
    for attendance, user, training_session in rows:
        url = f"{base_url.rstrip('/')}/sessions/{training_session.id}"
        queue_mail(
            "reminder", user.email, user.locale,
            attachments=(_calendar_file(training_session, url, host),), user=user,
            training_session=training_session, url=url,
        )  # fmt: skip
        attendance.reminded_at = now
    db.session.commit()
    log.info("Queued %d session reminder(s)", len(rows))
    return len(rows)


def confirm_practice(
    training_session: TrainingSession, practice: Practice, user_ids: list[int], by: User
) -> int:
    """The trainer confirms the practice of people marked present at the follow-up meeting;
    their attended meeting then counts, so the agent course may complete (one transaction).

    Returns how many confirmations are new.
    """
    present = set(
        db.session.scalars(
            db.select(Attendance.user_id).where(
                attended_join(training_session), Attendance.user_id.in_(user_ids)
            )
        )
    )
    already = set(
        db.session.scalars(
            db.select(PracticeConfirmation.user_id).where(
                PracticeConfirmation.practice_id == practice.id,
                PracticeConfirmation.user_id.in_(present),
            )
        )
    )
    new = sorted(present - already)
    now = utcnow()
    with one_transaction():
        db.session.add_all(
            PracticeConfirmation(user_id=user_id, practice_id=practice.id,
                                 session_id=training_session.id, confirmed_by_id=by.id,
                                 confirmed_at=now)
            for user_id in new
        )  # fmt: skip
        db.session.flush()
        practice_confirmed.send(training_session, user_ids=new)
        audit_each(by, AuditAction.PRACTICE_CONFIRMED,
                   [(user_id, {"session": training_session.id}) for user_id in new])  # fmt: skip
    log.info("%s confirmed the practice of %d at session %d", by.email, len(new),
             training_session.id)  # fmt: skip
    return len(new)
