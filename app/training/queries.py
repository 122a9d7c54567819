"""Reads of the training domain; each a fixed number of queries."""

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, and_, func, literal, or_
from sqlalchemy.orm import contains_eager

from app.auth.models import User
from app.core import keyset
from app.core.roles import Role
from app.core.scope import Scope
from app.core.text import contains_folded, folded, swedish
from app.core.time import utcnow
from app.courses.content import Practice, PracticeTask
from app.extensions import db
from app.practice.models import PracticeCheck, PracticeConfirmation
from app.progress.rules import (
    attended_join,
    marked_attended,
    reach_by_agent,
    session_held,
    staff_trained,
    trained_by_agent,
)
from app.training import access
from app.training.models import Attendance, SessionKind, TrainingSession

PAGE_SIZE = 50  # upcoming sessions a page


def get_visible(user: User, session_id: int) -> TrainingSession | None:
    """The session if the user may see it; None exactly as if it did not exist (1 query)."""
    training_session = db.session.get(TrainingSession, session_id)
    if training_session is None or not access.may_see(user, training_session):
        return None
    return training_session


@dataclass
class SessionRow:
    """A session in a list, with the viewer's own registration status."""

    training_session: TrainingSession
    my_status: str | None


def upcoming_for(user: User, now) -> keyset.Page:
    """Sessions the user may join that have not ended, soonest first, the page after the
    request's cursor (1 query)."""
    kinds = and_(
        TrainingSession.kind == SessionKind.END_USER,
        Scope.of(user).where(TrainingSession.municipality_id),
    )
    if user.role in (Role.AGENT, Role.ADMIN):
        kinds = or_(kinds, TrainingSession.kind == SessionKind.AGENT_FOLLOW_UP)
    query = (
        db.select(TrainingSession, Attendance.status)
        .outerjoin(
            Attendance,
            and_(Attendance.session_id == TrainingSession.id, Attendance.user_id == user.id),
        )
        .where(kinds, TrainingSession.ends_at > now)
    )
    page = keyset.page(query, [TrainingSession.starts_at, TrainingSession.id], PAGE_SIZE)
    return replace(page, rows=[SessionRow(session, status) for session, status in page.rows])


def my_sessions(user: User) -> list[SessionRow]:
    """Sessions the user is or was on the list of, newest first (1 query)."""
    rows = db.session.execute(
        db.select(TrainingSession, Attendance.status)
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(Attendance.user_id == user.id)
        .order_by(TrainingSession.starts_at.desc())
    ).all()
    return [SessionRow(training_session, status) for training_session, status in rows]


def participants(training_session: TrainingSession) -> list[Attendance]:
    """The list, alphabetical by name, with each person loaded (1 query)."""
    return list(
        db.session.scalars(
            db.select(Attendance)
            .join(User, Attendance.user_id == User.id)
            .where(Attendance.session_id == training_session.id)
            .order_by(swedish(User.name), User.email)
            .options(contains_eager(Attendance.user))
        )
    )


def _who_could_join(query, training_session: TrainingSession):
    """The query narrowed to the session's audience: its municipality's people, or agents for a
    follow-up meeting (a prefilter in SQL; `access.may_be_added` decides)."""
    if training_session.kind == SessionKind.END_USER:
        return query.where(User.municipality_id == training_session.municipality_id)
    return query.where(User.role == Role.AGENT)


SEARCH_LIMIT = 50


def roster_search(
    training_session: TrainingSession, text: str, limit: int = SEARCH_LIMIT
) -> list[User]:
    """Active people who may join this session and match a name, email or unit, not yet on
    the list (1 query)."""
    text = text.strip()
    if len(text) < 2:
        return []
    query = db.select(User).where(
        User.reachable(),
        contains_folded(text, User.name, User.email, User.unit),  # "ängström" finds "Ängström"
        User.id.not_in(
            db.select(Attendance.user_id).where(Attendance.session_id == training_session.id)
        ),
    )
    query = _who_could_join(query, training_session)
    return list(db.session.scalars(query.order_by(swedish(User.name), User.email).limit(limit)))


class Problem(StrEnum):
    """Why a ticked or pasted person cannot be added."""

    NOT_FOUND = "not_found"  # also everyone outside the session's audience: never revealed
    AMBIGUOUS = "ambiguous"
    NOT_ALLOWED = "not_allowed"  # found, but `access.may_be_added` says no


@dataclass
class Match:
    """A ticked id or a pasted line, and the one person it names, or the problem."""

    text: str
    person: User | None = None
    problem: str = ""


ANGLE_EMAIL = re.compile(r"<\s*([^<>\s]+@[^<>\s]+)\s*>")  # "Karin Lund <karin@falun.se>"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _email_in(line: str) -> str | None:
    """The line's email address (alone, or in angle brackets as mail programs copy it)."""
    found = ANGLE_EMAIL.search(line)
    if found:
        return found.group(1).lower()
    return line.strip().lower() if "@" in line else None


def match_people(
    training_session: TrainingSession, ids: list[int], lines: list[str]
) -> list[Match]:
    """Whom the ticked ids and the pasted lines name, among the session's audience (1 query).

    A line with an email address matches that address exactly, ignoring case; otherwise the
    whole name, case-folded. A name shared by several people who could be added is ambiguous.
    People outside the audience are not found, so other municipalities cannot be probed.
    """
    emails = {line: _email_in(line) for line in lines}
    names = sorted({" ".join(line.split()) for line, email in emails.items() if email is None})
    wanted = [User.id.in_(ids)] if ids else []
    if any(emails.values()):
        wanted.append(User.email.in_(sorted({e for e in emails.values() if e})))
    if names:
        wanted.append(folded(User.name).in_([folded(literal(n, String())) for n in names]))
    if not wanted:
        return []
    query = _who_could_join(db.select(User).where(or_(*wanted)), training_session)
    candidates = list(db.session.scalars(query))
    by_id = {person.id: person for person in candidates}
    by_email = {person.email.lower(): person for person in candidates}
    by_name = defaultdict(list)
    for person in candidates:
        by_name[_fold(person.name)].append(person)
    matches = []
    for user_id in ids:
        person = by_id.get(user_id)
        ticked = [person] if person else []
        matches.append(_judge(training_session, person.name if person else "", ticked))
    for line, email in emails.items():
        if email is None:
            named = by_name.get(_fold(line), [])
        else:
            named = [by_email[email]] if email in by_email else []
        matches.append(_judge(training_session, line, named))
    return matches


def _judge(training_session: TrainingSession, text: str, people: list[User]) -> Match:
    addable = [person for person in people if access.may_be_added(person, training_session)]
    if len(addable) == 1:
        return Match(text, addable[0])
    if addable:
        return Match(text, problem=Problem.AMBIGUOUS)
    return Match(text, problem=Problem.NOT_ALLOWED if people else Problem.NOT_FOUND)


@dataclass
class ReachRow:
    """One of an agent's sessions with its counts; `held` by the coverage rule."""

    training_session: TrainingSession
    held: bool
    registered: int
    attended: int
    trained: int


def reach_of(agent: User, now: datetime | None = None) -> list[ReachRow]:
    """The agent's sessions: held or not, registered, attended and staff trained there (1 query).

    Staff trained counts people as the coverage does (`progress.rules.staff_trained`), so the
    page's totals match the agent's line on the municipality's dashboard.
    """
    now = now or utcnow()
    trained_rows = staff_trained(now)
    trained = (
        db.select(trained_rows.c.session_id, func.count().label("n"))
        .group_by(trained_rows.c.session_id)
        .subquery()
    )
    rows = db.session.execute(
        db.select(
            TrainingSession,
            session_held(now),
            func.count(Attendance.id),
            func.count(Attendance.id).filter(marked_attended()),
            func.coalesce(func.max(trained.c.n), 0),
        )
        .outerjoin(Attendance, Attendance.session_id == TrainingSession.id)
        .outerjoin(trained, trained.c.session_id == TrainingSession.id)
        .where(TrainingSession.agent_id == agent.id)
        .group_by(TrainingSession.id)
        .order_by(TrainingSession.starts_at.desc())
    ).all()
    return [
        ReachRow(training_session, bool(held), registered, attended, trained_n)
        for training_session, held, registered, attended, trained_n in rows
    ]


def has_run_sessions(user: User) -> bool:
    """True when the user is the trainer of any session (1 query)."""
    found = db.select(TrainingSession.id).where(TrainingSession.agent_id == user.id).limit(1)
    return db.session.scalar(found) is not None


@dataclass
class ReachTotals:
    """An agent's reach by the coverage rules: held sessions, distinct attendees, staff trained."""

    sessions: int
    registered: int
    attended: int
    trained: int


def reach_totals(agent: User, now: datetime | None = None) -> ReachTotals:
    """The agent's totals, from the same per-agent reach as the municipality's dashboard: held
    sessions, people on their lists, distinct attendees, staff trained (1 query)."""
    now = now or utcnow()
    reach, trained = reach_by_agent(now), trained_by_agent(now)
    registered = (
        db.select(func.count(Attendance.id))
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(TrainingSession.agent_id == agent.id, session_held(now))
        .scalar_subquery()
    )
    mine = reach.c.agent_id == agent.id

    def total(column, where):
        return db.select(func.coalesce(func.sum(column), 0)).where(where).scalar_subquery()

    row = db.session.execute(
        db.select(
            total(reach.c.held, mine),
            registered,
            total(reach.c.attendees, mine),
            total(trained.c.trained, trained.c.agent_id == agent.id),
        )
    ).one()
    return ReachTotals(*row)


def my_attendance(user: User, training_session: TrainingSession) -> Attendance | None:
    """The user's own row on the session's list, if any (1 query)."""
    return db.session.scalar(
        db.select(Attendance).filter_by(session_id=training_session.id, user_id=user.id)
    )


@dataclass(frozen=True)
class PracticeRow:
    """An attendee of a follow-up meeting: tasks ticked, and whether the practice is confirmed."""

    user: User
    done: int
    tasks: int
    confirmed: bool
    notes: tuple[tuple[str, str], ...] = ()  # (task, how it went) for each task ticked


def practice_at_session(training_session: TrainingSession, practice: Practice) -> list[PracticeRow]:
    """Each attendee marked present at the follow-up meeting with their practice status and
    notes, for the trainer to go through (3 queries)."""
    tasks = db.session.scalar(
        db.select(func.count(PracticeTask.id)).where(
            PracticeTask.practice_id == practice.id, PracticeTask.retired_at.is_(None)
        )
    )
    rows = db.session.execute(
        db.select(User, PracticeConfirmation.id)
        .join(Attendance, Attendance.user_id == User.id)
        .outerjoin(
            PracticeConfirmation,
            and_(
                PracticeConfirmation.user_id == User.id,
                PracticeConfirmation.practice_id == practice.id,
            ),
        )
        .where(attended_join(training_session))
        .order_by(User.name)
    ).all()
    notes: dict[int, list[tuple[str, str]]] = {}
    for user_id, text, note in db.session.execute(
        db.select(PracticeCheck.user_id, PracticeTask.text, PracticeCheck.note)
        .join(PracticeTask, PracticeTask.id == PracticeCheck.task_id)
        .join(Attendance, Attendance.user_id == PracticeCheck.user_id)
        .where(
            PracticeTask.practice_id == practice.id,
            PracticeTask.retired_at.is_(None),
            attended_join(training_session),
        )
        .order_by(PracticeTask.position)
    ):
        notes.setdefault(user_id, []).append((text, note))
    return [
        PracticeRow(
            user,
            len(notes.get(user.id, ())),
            tasks,
            confirmed is not None,
            tuple(notes.get(user.id, ())),
        )
        for user, confirmed in rows
    ]
