"""Reads of the privacy domain: everything held about a person, the audit log, and the
accounts due for erasure under the retention rule."""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased, joinedload

from app.auth.models import User
from app.auth.tokens import ApiToken
from app.certificates.models import Certificate
from app.core import keyset
from app.core.audit import AuditEntry
from app.core.jobs.models import Job
from app.courses.content import Practice, PracticeTask, Quiz
from app.courses.models import (
    Course,
    CourseCompletion,
    Lesson,
    LessonView,
    Module,
    ModuleCompletion,
)
from app.effect.models import EnergyFactors, TravelFreeMeeting
from app.extensions import db
from app.mail.models import OutboxMessage
from app.municipalities.models import Municipality, MunicipalityFact
from app.practice.models import PracticeCheck, PracticeConfirmation
from app.quizzes.models import QuizAttempt
from app.sso.models import SsoProvider
from app.training.models import Attendance, SessionEvaluation, TrainingSession

# Every column that refers to a person, and the section of `my_data` that holds those rows.
# tests/privacy/test_my_data.py checks it against the models: a new reference must be added here
# and exported, or the suite fails.
SECTION_OF_REFERENCE = {
    "api_token.user_id": "api_tokens",
    "attendance.user_id": "training_sessions",
    "attendance.marked_by_id": "attendance_marked_by_me",
    "audit_entry.subject_id": "audit_log_about_me",
    "audit_entry.actor_id": "audit_log_my_actions",
    "certificate.user_id": "certificates",
    "certificate.trainer_id": "certificates_as_trainer",
    "certificate.revoked_by_id": "certificates_revoked_by_me",
    "course_completion.user_id": "course_completions",
    "lesson_view.user_id": "lessons_viewed",
    "module_completion.user_id": "module_completions",
    "quiz_attempt.user_id": "quiz_attempts",
    "training_session.agent_id": "training_sessions_led",
    "training_session.created_by_id": "training_sessions_led",
    "training_session.reopened_by_id": "training_sessions_led",
    "practice_check.user_id": "practice_tasks",
    "practice_confirmation.user_id": "practice_confirmations",
    "practice_confirmation.confirmed_by_id": "practice_confirmed_by_me",
    "session_evaluation.user_id": "session_evaluations",
    "municipality_fact.updated_by_id": "municipality_facts_edited",
    "travel_free_meeting.created_by_id": "meetings_logged",
    "energy_factors.updated_by_id": "energy_factors_set",
    "job.owner_id": "files_made_for_me",
}
SECRET_COLUMNS = {"token_hash", "password_hash"}


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _record(row, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every column of a row but secrets and `skip`, JSON-ready (so new columns come along)."""
    values = {}
    for column in row.__table__.columns:
        if column.key in SECRET_COLUMNS or column.key in skip:
            continue
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, datetime | date) else value
    return values


def my_data(user: User) -> dict:
    """Everything the platform holds about the person, no secrets (17 queries whatever their
    history, and one for their municipality unless it is loaded)."""
    lessons = db.session.execute(
        db.select(Lesson.title, LessonView)
        .join(LessonView, LessonView.lesson_id == Lesson.id)
        .where(LessonView.user_id == user.id)
        .order_by(LessonView.first_viewed_at)
    ).all()
    modules = db.session.execute(
        db.select(Module.title, ModuleCompletion)
        .join(ModuleCompletion, ModuleCompletion.module_id == Module.id)
        .where(ModuleCompletion.user_id == user.id)
        .order_by(ModuleCompletion.completed_at)
    ).all()
    attempts = db.session.execute(
        db.select(Quiz.title, QuizAttempt)
        .join(QuizAttempt, QuizAttempt.quiz_id == Quiz.id)
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at)
    ).all()
    completions = db.session.execute(
        db.select(Course.title, CourseCompletion)
        .join(CourseCompletion, CourseCompletion.course_id == Course.id)
        .where(CourseCompletion.user_id == user.id)
        .order_by(CourseCompletion.completed_at)
    ).all()
    attendance = db.session.execute(
        db.select(TrainingSession, Attendance)
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(or_(Attendance.user_id == user.id, Attendance.marked_by_id == user.id))
        .order_by(TrainingSession.starts_at, Attendance.id)
    ).all()
    led = db.session.scalars(
        db.select(TrainingSession)
        .where(
            or_(
                TrainingSession.agent_id == user.id,
                TrainingSession.created_by_id == user.id,
                TrainingSession.reopened_by_id == user.id,
            )
        )
        .order_by(TrainingSession.starts_at)
    ).all()
    certificates = db.session.scalars(
        db.select(Certificate)
        .where(
            or_(
                Certificate.user_id == user.id,
                Certificate.trainer_id == user.id,
                Certificate.revoked_by_id == user.id,
            )
        )
        .order_by(Certificate.id)
    ).all()
    tokens = db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    ).all()
    jobs = db.session.scalars(db.select(Job).where(Job.owner_id == user.id).order_by(Job.id)).all()
    emails = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.recipient == user.email)
        .order_by(OutboxMessage.id)
    ).all()
    actor = aliased(User)
    entries = db.session.execute(
        db.select(AuditEntry, actor.role)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .where(or_(AuditEntry.subject_id == user.id, AuditEntry.actor_id == user.id))
        .order_by(AuditEntry.id)
    ).all()
    sso = db.session.execute(
        db.select(SsoProvider.issuer, SsoProvider.email_domains).where(
            SsoProvider.municipality_id == user.municipality_id
        )
    ).first()
    ticks = db.session.execute(
        db.select(PracticeTask.text, PracticeCheck)
        .join(PracticeCheck, PracticeCheck.task_id == PracticeTask.id)
        .where(PracticeCheck.user_id == user.id)
        .order_by(PracticeCheck.id)
    ).all()
    confirmations = db.session.execute(
        db.select(Practice.title, PracticeConfirmation)
        .join(PracticeConfirmation, PracticeConfirmation.practice_id == Practice.id)
        .where(or_(PracticeConfirmation.user_id == user.id,
                   PracticeConfirmation.confirmed_by_id == user.id))
        .order_by(PracticeConfirmation.id)
    ).all()  # fmt: skip
    evaluations = db.session.scalars(
        db.select(SessionEvaluation)
        .where(SessionEvaluation.user_id == user.id)
        .order_by(SessionEvaluation.id)
    ).all()
    facts = db.session.scalars(
        db.select(MunicipalityFact)
        .where(MunicipalityFact.updated_by_id == user.id)
        .order_by(MunicipalityFact.id)
    ).all()
    logged = db.session.scalars(
        db.select(TravelFreeMeeting)
        .where(TravelFreeMeeting.created_by_id == user.id)
        .order_by(TravelFreeMeeting.id)
    ).all()
    factors_set = db.session.scalars(
        db.select(EnergyFactors.updated_at).where(EnergyFactors.updated_by_id == user.id)
    ).all()
    municipality = user.municipality
    domain = user.email.rpartition("@")[2]
    return {
        "account": {
            "email": user.email, "name": user.name, "role": user.role, "unit": user.unit,
            "municipality": municipality.name if municipality else None,
            "municipality_code": municipality.code if municipality else None,
            "active": user.active, "language": user.locale, "created_at": _time(user.created_at),
            "has_password": bool(user.password_hash),
        },
        "sign_in": {
            "last_sign_in": _time(user.last_seen_at),
            # raised by every logout and new password: it ends the person's sessions everywhere
            "session_version": user.session_version,
            "municipal_sign_in": (
                {"issuer": sso.issuer, "used_for_my_email": domain in (sso.email_domains or [])}
                if sso else None
            ),
        },
        "lessons_viewed": [
            {"lesson": title, **_record(view, frozenset({"user_id"}))} for title, view in lessons
        ],
        "module_completions": [
            {"module": title, **_record(done, frozenset({"user_id"}))} for title, done in modules
        ],
        "quiz_attempts": [
            {"quiz": title, **_record(attempt, frozenset({"user_id", "questions", "results"}))}
            for title, attempt in attempts
        ],
        "course_completions": [
            {"course": title, **_record(done, frozenset({"user_id"}))}
            for title, done in completions
        ],
        "training_sessions": [
            {"title": s.title, "kind": s.kind, "starts_at": _time(s.starts_at), "place": s.place,
             **_record(a, frozenset({"user_id", "marked_by_id"}))}
            for s, a in attendance if a.user_id == user.id
        ],
        # Marks the person set on others: the session and the mark, not who the others are.
        "attendance_marked_by_me": [
            {"session_id": s.id, "title": s.title, "status": a.status,
             "marked_at": _time(a.marked_at)}
            for s, a in attendance if a.marked_by_id == user.id and a.user_id != user.id
        ],
        "training_sessions_led": [
            {"id": s.id, "title": s.title, "kind": s.kind, "starts_at": _time(s.starts_at),
             "place": s.place, "as_trainer": s.agent_id == user.id,
             "created_by_me": s.created_by_id == user.id,
             "reopened_by_me": s.reopened_by_id == user.id,
             "reopen_reason": s.reopen_reason if s.reopened_by_id == user.id else None}
            for s in led
        ],
        "practice_tasks": [
            {"task": text, **_record(tick, frozenset({"user_id"}))} for text, tick in ticks
        ],
        "practice_confirmations": [
            {"practice": title, **_record(c, frozenset({"user_id", "confirmed_by_id"}))}
            for title, c in confirmations if c.user_id == user.id
        ],
        # Practice the person confirmed for others: when and where, not whose.
        "practice_confirmed_by_me": [
            {"practice": title, "session_id": c.session_id, "confirmed_at": _time(c.confirmed_at)}
            for title, c in confirmations if c.confirmed_by_id == user.id and c.user_id != user.id
        ],
        "session_evaluations": [_record(e, frozenset({"user_id"})) for e in evaluations],
        "meetings_logged": [_record(m, frozenset({"created_by_id"})) for m in logged],
        "energy_factors_set": [{"updated_at": _time(at)} for at in factors_set],
        "municipality_facts_edited": [
            {"fact": f.key, "updated_at": _time(f.updated_at)} for f in facts
        ],
        "certificates": [
            _record(c, frozenset({"user_id", "revoked_by_id"}))
            for c in certificates if c.user_id == user.id
        ],
        # Certificates of people the person trained: that they were named, not who holds them.
        "certificates_as_trainer": [
            {"course": c.course_title, "trainer_name": c.trainer_name,
             "issued_at": _time(c.issued_at)}
            for c in certificates if c.trainer_id == user.id and c.user_id != user.id
        ],
        "certificates_revoked_by_me": [
            {"course": c.course_title, "revoked_at": _time(c.revoked_at),
             "reason": c.revoked_reason}
            for c in certificates if c.revoked_by_id == user.id
        ],
        "api_tokens": [_record(t, frozenset({"user_id"})) for t in tokens],
        # Print packs and exports asked for (kept a day): what and when, not the file.
        "files_made_for_me": [_record(j, frozenset({"owner_id", "stored_as"})) for j in jobs],
        # What was sent, not the text: messages carry personal links that still work.
        "emails": [
            _record(m, frozenset({"body_text", "body_html", "attachments", "last_error"}))
            for m in emails
        ],
        "audit_log_about_me": [
            {"action": e.action, "at": _time(e.created_at), "by_role": role,
             "by_me": e.actor_id == user.id, "details": e.details}
            for e, role in entries if e.subject_id == user.id
        ],
        "audit_log_my_actions": [
            {"action": e.action, "at": _time(e.created_at), "about_person_id": e.subject_id,
             "details": e.details}
            for e, _ in entries if e.actor_id == user.id and e.subject_id != user.id
        ],
    }  # fmt: skip


def inactive_since(cutoff: datetime):
    """The retention rule's "inactive": not erased, and since the cutoff neither signed in
    (nor, if never signed in, created), used an API token, nor registered for or was marked at
    a training session (an SQL condition on `User`)."""
    token_used = exists(
        db.select(ApiToken.id).where(ApiToken.user_id == User.id, ApiToken.last_used_at >= cutoff)
    )
    at_a_session = exists(
        db.select(Attendance.id).where(
            Attendance.user_id == User.id,
            or_(Attendance.registered_at >= cutoff, Attendance.marked_at >= cutoff),
        )
    )
    return and_(
        User.erased_at.is_(None),
        func.coalesce(User.last_seen_at, User.created_at) < cutoff,
        User.created_at < cutoff,
        ~token_used,
        ~at_a_session,
    )


def due_for_erasure(cutoff: datetime) -> list[User]:
    """The accounts inactive since the cutoff, oldest first, with their municipality (1 query)."""
    return list(
        db.session.scalars(
            db.select(User)
            .options(joinedload(User.municipality))
            .where(inactive_since(cutoff))
            .order_by(func.coalesce(User.last_seen_at, User.created_at), User.id)
        )
    )


PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    """The audit log's filters: one person (as subject or actor) and one action."""

    person_id: int | None = None
    action: str | None = None


@dataclass(frozen=True)
class AuditRow:
    """One entry with the names of those involved, as the page shows it."""

    entry: AuditEntry
    actor_name: str | None
    subject_name: str | None
    municipality_name: str | None


def audit_page(filters: AuditFilter) -> tuple[keyset.Page, int]:
    """Newest entries first, the page after the request's cursor, and the total (2 queries)."""
    conditions = []
    if filters.person_id is not None:
        conditions.append(
            or_(
                AuditEntry.subject_id == filters.person_id,
                AuditEntry.actor_id == filters.person_id,
            )
        )
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    total = db.session.scalar(db.select(func.count(AuditEntry.id)).where(*conditions))
    actor, subject = aliased(User), aliased(User)
    query = (
        db.select(AuditEntry, actor.name, subject.name, Municipality.name)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .outerjoin(subject, subject.id == AuditEntry.subject_id)
        .outerjoin(Municipality, Municipality.id == AuditEntry.municipality_id)
        .where(*conditions)
    )
    page = keyset.page(query, [AuditEntry.id], PAGE_SIZE, descending=True)
    return replace(page, rows=[AuditRow(*row) for row in page.rows]), total


def person_by_email_or_id(text: str) -> User | None:
    """The person with this e-mail address or id, whoever they are (1 query; admins' search)."""
    text = text.strip()
    if re.fullmatch(r"[0-9]{1,9}", text):
        return db.session.get(User, int(text))
    return db.session.scalar(db.select(User).where(User.email == text.lower()))
