"""Reads of practice: a module's practice with the learner's ticks, and a follow-up meeting's
confirmations; each a fixed number of queries."""

from dataclasses import dataclass

from sqlalchemy import and_, func

from app.auth.models import User
from app.courses.models import Course, Module
from app.extensions import db
from app.practice.models import Practice, PracticeCheck, PracticeConfirmation, PracticeTask
from app.progress.completion import trainer_practices
from app.progress.rules import attended_join
from app.training.models import Attendance, TrainingSession


def module_practice(course: Course, module_slug: str) -> tuple[Module, Practice] | None:
    """The active module of this course with this slug, and its active practice (1 query)."""
    row = db.session.execute(
        db.select(Module, Practice)
        .join(Practice, Practice.module_id == Module.id)
        .where(
            Module.course_id == course.id,
            Module.slug == module_slug,
            Module.retired_at.is_(None),
            Practice.retired_at.is_(None),
        )
    ).first()
    return (row[0], row[1]) if row else None


def active_tasks(practice: Practice) -> list[PracticeTask]:
    """The practice's active tasks in order (1 query)."""
    return list(
        db.session.scalars(
            db.select(PracticeTask)
            .where(PracticeTask.practice_id == practice.id, PracticeTask.retired_at.is_(None))
            .order_by(PracticeTask.position)
        )
    )


def checks_of(user: User, practice: Practice) -> dict[int, PracticeCheck]:
    """The person's ticks in this practice, by task id (1 query)."""
    return {
        check.task_id: check
        for check in db.session.scalars(
            db.select(PracticeCheck)
            .join(PracticeTask, PracticeTask.id == PracticeCheck.task_id)
            .where(PracticeCheck.user_id == user.id, PracticeTask.practice_id == practice.id)
        )
    }


def confirmation_of(user: User, practice: Practice) -> PracticeConfirmation | None:
    """The trainer's confirmation of the person's practice, if any (1 query)."""
    return db.session.scalar(
        db.select(PracticeConfirmation).filter_by(user_id=user.id, practice_id=practice.id)
    )


def trainer_practice() -> Practice | None:
    """The practice a follow-up meeting's trainer confirms (the first, in course order)."""
    return db.session.scalar(
        db.select(Practice)
        .join(Module, Module.id == Practice.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(Practice.id.in_(trainer_practices()))
        .order_by(Course.position, Module.position)
        .limit(1)
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
