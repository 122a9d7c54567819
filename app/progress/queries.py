"""Reads of single facts about a person's standing in the programme (1 query each)."""

from sqlalchemy import select

from app.auth.models import User
from app.courses.models import Audience, Course, Module, ModuleCompletion
from app.extensions import db
from app.progress.rules import certified_agent


def is_certified(user: User) -> bool:
    """True when the person is a certified agent now (see `rules.certified_agent`)."""
    if not user.is_authenticated:
        return False
    return bool(db.session.scalar(select(certified_agent()).where(User.id == user.id)))


def has_reached_part_two(user: User) -> bool:
    """True when the person completed the first part of an active agent course."""
    first_part = (
        select(Module.id)
        .join(Course, Course.id == Module.course_id)
        .where(
            Course.audience == Audience.AGENT,
            Course.retired_at.is_(None),
            Module.retired_at.is_(None),
        )
        .order_by(Course.position, Module.position)
        .limit(1)
        .scalar_subquery()
    )
    return bool(
        db.session.scalar(
            select(ModuleCompletion.id).where(
                ModuleCompletion.user_id == user.id, ModuleCompletion.module_id == first_part
            )
        )
    )
