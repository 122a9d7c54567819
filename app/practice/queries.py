"""Reads of practice: a module's practice with the learner's ticks, and the practices a
follow-up meeting's trainer confirms; each a fixed number of queries."""

from sqlalchemy import select

from app.auth.models import User
from app.courses.content import ConfirmedBy, Practice, PracticeTask
from app.courses.models import Audience, Course, Module
from app.courses.queries import active_modules
from app.extensions import db
from app.practice.models import PracticeCheck, PracticeConfirmation


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


def trainer_practices(course: Course | None = None):
    """The active practices that a follow-up meeting's trainer must confirm: of the course's
    active parts, or (no course) of every active agent course."""
    if course is not None:
        modules = active_modules(course)
    else:
        modules = (
            select(Module.id)
            .join(Course, Course.id == Module.course_id)
            .where(Course.audience == Audience.AGENT, Course.retired_at.is_(None),
                   Module.retired_at.is_(None))
        )  # fmt: skip
    return select(Practice.id).where(
        Practice.module_id.in_(modules),
        Practice.retired_at.is_(None),
        Practice.confirmed_by == ConfirmedBy.TRAINER,
    )


def trainer_tasks():
    """The active tasks of the practices a trainer confirms (see `trainer_practices`)."""
    return select(PracticeTask.id).where(
        PracticeTask.practice_id.in_(trainer_practices()), PracticeTask.retired_at.is_(None)
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
