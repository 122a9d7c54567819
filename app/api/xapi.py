"""xAPI 1.0.3 statements (completed, passed, failed, attended) for an organisation's LRS.

A trainer's confirmation of someone's practice in real meetings is a `completed` statement on
the part's practice (activity type `performance`) with the trainer as instructor.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.core.scope import Scope
from app.core.time import utcnow
from app.courses.content import Practice, Quiz
from app.courses.models import Audience, Course, CourseCompletion, Module
from app.extensions import db
from app.practice.models import PracticeConfirmation
from app.progress.rules import marked_attended, trained_online, trained_via_session
from app.quizzes.models import AttemptState, QuizAttempt
from app.training.models import Attendance, TrainingSession

ADL = "http://adlnet.gov/expapi"
VERBS = {
    "completed": {"sv-SE": "slutförde", "en-US": "completed"},
    "passed": {"sv-SE": "klarade", "en-US": "passed"},
    "failed": {"sv-SE": "klarade inte", "en-US": "failed"},
    "attended": {"sv-SE": "deltog i", "en-US": "attended"},
}
NAMESPACE = uuid.UUID("5f1d1c52-7a9e-4d0b-9a5e-3c1b8f0d2e61")  # stable statement ids
PAGE_SIZE = 100
MAX_PAGE = 1000  # a counted page reads the ones before it; `more` links use the keyset cursor
# Context extension of a session entered after it was held ("registrerat i efterhand").
RECORDED_AFTER = "/xapi/extensions/recorded-after-the-fact"


@dataclass
class Event:
    """Something a learner did, before it becomes a statement; sorted by (at, kind, row)."""

    key: str
    at: datetime
    statement: dict[str, Any]

    @property
    def order(self) -> tuple:
        """Where the event stands in the feed: time, then its stream, then its row."""
        kind, _, row = self.key.partition(":")
        return self.at, kind, int(row)

    @property
    def cursor(self) -> "Cursor":
        """Where the page that continues after this event starts."""
        _, kind, row = self.order
        return Cursor(self.at, kind, row)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after the event at `at` of stream `kind` (empty: before every
    stream), row `row`."""

    at: datetime
    kind: str
    row: int

    def as_query(self) -> dict:
        """The `more` link's parameters."""
        return {"after_time": self.at.isoformat(), "after_kind": self.kind,
                "after_id": self.row}  # fmt: skip

    def after(self, kind: str, at_column, id_column):
        """SQL: rows of stream `kind` that come after the cursor (a keyset, so a deep page
        reads only its own rows)."""
        later = at_column > self.at
        if kind > self.kind:
            return or_(later, at_column == self.at)
        if kind == self.kind:
            return or_(later, and_(at_column == self.at, id_column > self.row))
        return later


KINDS = ("attempt", "attendance", "completion", "practice")


def _actor(user: User) -> dict:
    return {"objectType": "Agent", "name": user.name, "mbox": f"mailto:{user.email}"}


def _activity(iri: str, name: str, kind: str) -> dict:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"name": {"sv-SE": name}, "type": f"{ADL}/activities/{kind}"},
    }


def _statement(key, user, verb, activity, at, result=None, instructor=None) -> Event:
    statement = {
        "id": str(uuid.uuid5(NAMESPACE, key)),
        "actor": _actor(user),
        "verb": {"id": f"{ADL}/verbs/{verb}", "display": VERBS[verb]},
        "object": activity,
        "timestamp": at.isoformat(),
        "context": {"platform": "Vi möts resfritt", "language": "sv-SE"},
        "version": "1.0.3",
    }
    if result:
        statement["result"] = result
    if instructor is not None:
        statement["context"]["instructor"] = _actor(instructor)
    return Event(key, at, statement)


def _scoped(query: Select, viewer: User, user_column) -> Select:
    scope = Scope.of(viewer)
    if scope.every:
        return query
    return query.where(user_column.in_(db.select(User.id).where(scope.where(User.municipality_id))))


def statements(
    viewer: User, base: str, since: datetime | None, page: int, after: Cursor | None = None
) -> tuple[list[dict], str | None]:
    """One page of statements, oldest first, and the cursor of the next page (None: the last).

    `after` (the `more` link's cursor) reads only the page's own rows, however deep; `since`
    and `page` remain for callers that count pages (4 queries either way).
    """
    if after is not None:
        page = 0
    wanted = page * PAGE_SIZE + PAGE_SIZE + 1
    events: list[Event] = []

    completions = _scoped(
        db.select(CourseCompletion, User, Course)
        .join(User, User.id == CourseCompletion.user_id)
        .join(Course, Course.id == CourseCompletion.course_id)
        .where(or_(Course.audience != Audience.EMPLOYEE, trained_online(),
                   trained_via_session(utcnow()))),
        viewer, CourseCompletion.user_id,
    )  # fmt: skip
    if since:
        completions = completions.where(CourseCompletion.completed_at > since)
    if after:
        completions = completions.where(
            after.after("completion", CourseCompletion.completed_at, CourseCompletion.id)
        )
    for completion, user, course in db.session.execute(
        completions.order_by(CourseCompletion.completed_at, CourseCompletion.id).limit(wanted)
    ):
        iri = f"{base}/courses/{course.slug}"
        events.append(_statement(
            f"completion:{completion.id}", user, "completed",
            _activity(iri, course.title, "course"), completion.completed_at,
            {"completion": True, "success": True},
        ))  # fmt: skip

    attempts = _scoped(
        db.select(QuizAttempt, User, Quiz, Module, Course)
        .join(User, User.id == QuizAttempt.user_id)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Module, Module.id == Quiz.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(QuizAttempt.state == AttemptState.SUBMITTED),
        viewer, QuizAttempt.user_id,
    )  # fmt: skip
    if since:
        attempts = attempts.where(QuizAttempt.submitted_at > since)
    if after:
        attempts = attempts.where(after.after("attempt", QuizAttempt.submitted_at, QuizAttempt.id))
    for attempt, user, quiz, module, course in db.session.execute(
        attempts.order_by(QuizAttempt.submitted_at, QuizAttempt.id).limit(wanted)
    ):
        iri = f"{base}/courses/{course.slug}/{module.slug}/quiz"
        score = {"scaled": attempt.score / 100, "raw": attempt.score, "min": 0, "max": 100}
        result = {"score": score, "success": bool(attempt.passed), "completion": True}
        events.append(_statement(
            f"attempt:{attempt.id}", user, "passed" if attempt.passed else "failed",
            _activity(iri, quiz.title, "assessment"), attempt.submitted_at, result,
        ))  # fmt: skip

    agent = aliased(User)
    attendances = _scoped(
        db.select(Attendance, User, TrainingSession, agent)
        .join(User, User.id == Attendance.user_id)
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .outerjoin(agent, agent.id == TrainingSession.agent_id)
        .where(marked_attended(), Attendance.marked_at.is_not(None)),
        viewer, Attendance.user_id,
    )  # fmt: skip
    if since:
        attendances = attendances.where(Attendance.marked_at > since)
    if after:
        attendances = attendances.where(
            after.after("attendance", Attendance.marked_at, Attendance.id)
        )
    for attendance, user, training_session, trainer in db.session.execute(
        attendances.order_by(Attendance.marked_at, Attendance.id).limit(wanted)
    ):
        iri = f"{base}/sessions/{training_session.id}"
        event = _statement(
            f"attendance:{attendance.id}", user, "attended",
            _activity(iri, training_session.title, "meeting"), attendance.marked_at,
            instructor=trainer,
        )  # fmt: skip
        if training_session.recorded_after_the_fact:
            event.statement["context"]["extensions"] = {
                base + RECORDED_AFTER: {"recorded_at": training_session.created_at.isoformat()}
            }
        events.append(event)

    trainer = aliased(User)
    confirmations = _scoped(
        db.select(PracticeConfirmation, User, Practice, Module, Course, trainer)
        .join(User, User.id == PracticeConfirmation.user_id)
        .join(Practice, Practice.id == PracticeConfirmation.practice_id)
        .join(Module, Module.id == Practice.module_id)
        .join(Course, Course.id == Module.course_id)
        .outerjoin(trainer, trainer.id == PracticeConfirmation.confirmed_by_id),
        viewer, PracticeConfirmation.user_id,
    )  # fmt: skip
    if since:
        confirmations = confirmations.where(PracticeConfirmation.confirmed_at > since)
    if after:
        confirmations = confirmations.where(
            after.after("practice", PracticeConfirmation.confirmed_at, PracticeConfirmation.id)
        )
    for confirmation, user, practice, module, course, confirmer in db.session.execute(
        confirmations.order_by(PracticeConfirmation.confirmed_at, PracticeConfirmation.id).limit(
            wanted
        )
    ):
        iri = f"{base}/courses/{course.slug}/{module.slug}/practice"
        events.append(_statement(
            f"practice:{confirmation.id}", user, "completed",
            _activity(iri, practice.title, "performance"), confirmation.confirmed_at,
            {"completion": True, "success": True}, instructor=confirmer,
        ))  # fmt: skip

    events.sort(key=lambda event: event.order)
    chosen = events[page * PAGE_SIZE : page * PAGE_SIZE + PAGE_SIZE]
    more = len(events) > (page + 1) * PAGE_SIZE
    return [event.statement for event in chosen], chosen[-1].cursor if more else None
