"""Writes of the privacy domain: the audit log, erasing a person, purging inactive accounts.

The retention rule (DESIGN §5, and the privacy notice) is carried out here:
- Erasing a person removes what identifies them: the name becomes "Raderad person", the email
  a unique address that cannot receive mail, the unit is cleared; their password, API tokens
  and sessions end, so the account can never sign in again (`User.is_active`). Lesson views
  and unfinished quiz attempts are deleted, submitted attempts keep only their score, and
  e-mails to them leave the outbox.
- What the programme's figures are made of stays, pseudonymised: completions, attendance,
  sessions they held, and certificates, which keep their code and validity while the holder
  (and, where they trained others, the trainer) reads "Raderad person". `active` keeps its
  value, since it says whether the person counts in coverage: no figure changes.
- Audit entries stay (who did what is the programme office's accountability); they name
  people only by id.
"""

import logging
from datetime import datetime, timedelta

from flask import current_app

from app.auth import services as auth_services
from app.auth.models import UNUSABLE_PASSWORD, User
from app.auth.tokens import ApiToken
from app.certificates.models import Certificate
from app.core.audit import AuditAction, audit
from app.core.jobs.models import Job
from app.core.time import utcnow
from app.courses.models import LessonView
from app.extensions import db
from app.mail.models import OutboxMessage
from app.practice.models import PracticeCheck
from app.privacy.queries import due_for_erasure
from app.quizzes.models import AttemptState, QuizAttempt
from app.training.models import SessionEvaluation

log = logging.getLogger(__name__)
# Kept in the programme's language, whoever's interface erased the person.
ERASED_NAME = "Raderad person"


def erased_email(user_id: int) -> str:
    """The unique placeholder address of an erased person (the `.invalid` name never exists)."""
    return f"raderad-{user_id}@invalid"


def erase_person(person: User, by: User | None) -> None:
    """Erase a person by the retention rule above, in one transaction (a fixed number of
    statements, whatever their history); erasing someone already erased does nothing."""
    if person.erased_at is not None:
        return
    statements = (
        db.delete(OutboxMessage).where(OutboxMessage.recipient == person.email),
        db.delete(LessonView).where(LessonView.user_id == person.id),
        db.delete(ApiToken).where(ApiToken.user_id == person.id),
        db.delete(Job).where(Job.owner_id == person.id),  # their print packs and exports
        db.delete(QuizAttempt).where(
            QuizAttempt.user_id == person.id, QuizAttempt.state == AttemptState.IN_PROGRESS
        ),
        # a submitted attempt keeps its score and result, not what was written
        db.update(QuizAttempt).where(QuizAttempt.user_id == person.id).values(answers={}),
        db.update(Certificate)
        .where(Certificate.user_id == person.id)
        .values(holder_name=ERASED_NAME),
        db.update(Certificate)
        .where(Certificate.trainer_id == person.id)
        .values(trainer_name=ERASED_NAME),
        # practice ticks keep that a task was done, not what the person wrote about it
        db.update(PracticeCheck).where(PracticeCheck.user_id == person.id).values(note=""),
        # an evaluation keeps its ratings for the session's figures, not who gave them
        db.update(SessionEvaluation)
        .where(SessionEvaluation.user_id == person.id)
        .values(user_id=None, comment=""),
    )
    for statement in statements:
        db.session.execute(statement.execution_options(synchronize_session=False))
    person.name, person.email, person.unit = ERASED_NAME, erased_email(person.id), ""
    person.password_hash, person.last_seen_at, person.erased_at = UNUSABLE_PASSWORD, None, utcnow()
    auth_services.end_sessions(person)
    audit(by, AuditAction.PERSON_ERASED, person, rule="retention" if by is None else "request")
    db.session.commit()
    db.session.expire_all()  # rows changed in bulk: reload what a page shows next
    log.info("Person %d erased by %s", person.id, by.email if by else "the retention rule")


def retention_cutoff(now: datetime | None = None) -> datetime:
    """The moment before which an account without activity is due for erasure
    (PRIVACY_RETENTION_DAYS before now).

    :raise ValueError: the setting is not a whole number of days from 1.
    """
    days = int(current_app.config["PRIVACY_RETENTION_DAYS"])
    if days < 1:
        raise ValueError("PRIVACY_RETENTION_DAYS must be at least 1")
    return (now or utcnow()) - timedelta(days=days)


def purge_inactive(cutoff: datetime) -> int:
    """Erase every account inactive since the cutoff (`due_for_erasure`); return how many."""
    people = due_for_erasure(cutoff)
    for person in people:
        erase_person(person, by=None)
    log.info("Retention: %d inactive account(s) erased", len(people))
    return len(people)
