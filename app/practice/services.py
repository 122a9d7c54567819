"""Writes of practice: a learner's ticks and notes, and a trainer's confirmations."""

import logging
from dataclasses import dataclass

from app.auth.models import User
from app.core.time import utcnow
from app.courses.models import Course
from app.extensions import db
from app.practice.models import Practice, PracticeCheck, PracticeConfirmation, PracticeTask
from app.privacy.models import AuditAction
from app.privacy.services import audit_each
from app.progress.completion import complete_via_attendance, update_progress
from app.progress.rules import attended_join
from app.training.models import Attendance, TrainingSession

log = logging.getLogger(__name__)
NOTE_MAX = 500


@dataclass(frozen=True)
class TaskEntry:
    """What the learner sent for one task: done or not, and the line on how it went."""

    done: bool
    note: str


def save_practice(
    user: User, course: Course, practice: Practice, entries: dict[int, TaskEntry]
) -> None:
    """Record the ticked tasks with their notes, remove unticked ones, then check progress.

    Entries for tasks outside the practice are ignored; the caller validated the notes.
    """
    tasks = {
        task.id
        for task in db.session.scalars(
            db.select(PracticeTask).where(
                PracticeTask.practice_id == practice.id, PracticeTask.retired_at.is_(None)
            )
        )
    }
    existing = {
        check.task_id: check
        for check in db.session.scalars(
            db.select(PracticeCheck).where(
                PracticeCheck.user_id == user.id, PracticeCheck.task_id.in_(tasks)
            )
        )
    }
    now = utcnow()
    for task_id, entry in entries.items():
        if task_id not in tasks:
            continue
        check = existing.get(task_id)
        if entry.done and check is None:
            db.session.add(PracticeCheck(user_id=user.id, task_id=task_id, note=entry.note,
                                         done_at=now))  # fmt: skip
        elif entry.done:
            check.note = entry.note
        elif check is not None:
            db.session.delete(check)
    db.session.flush()
    update_progress(user, course)  # commits


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
    try:
        db.session.add_all(
            PracticeConfirmation(user_id=user_id, practice_id=practice.id,
                                 session_id=training_session.id, confirmed_by_id=by.id,
                                 confirmed_at=now)
            for user_id in new
        )  # fmt: skip
        db.session.flush()
        complete_via_attendance(training_session, new)
        audit_each(by, AuditAction.PRACTICE_CONFIRMED,
                   [(user_id, {"session": training_session.id}) for user_id in new])  # fmt: skip
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    log.info("%s confirmed the practice of %d at session %d", by.email, len(new),
             training_session.id)  # fmt: skip
    return len(new)
