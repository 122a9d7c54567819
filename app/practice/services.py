"""Writes of practice: a learner's ticks and notes (the trainer confirms in `training`)."""

import logging
from dataclasses import dataclass

from app.auth.models import User
from app.core.errors import one_transaction
from app.core.events import practice_saved
from app.core.time import utcnow
from app.courses.content import Practice, PracticeTask
from app.courses.models import Course
from app.extensions import db
from app.practice.models import PracticeCheck

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
    with one_transaction():  # the ticks and the completions they bring: one transaction
        db.session.flush()
        practice_saved.send(user, course=course)
