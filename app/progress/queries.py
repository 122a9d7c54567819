"""Reads of single facts about a person's standing in the programme (1 query each)."""

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.progress.rules import certified_agent


def is_certified(user: User) -> bool:
    """True when the person is a certified agent now (see `rules.certified_agent`)."""
    if not user.is_authenticated:
        return False
    return bool(db.session.scalar(select(certified_agent()).where(User.id == user.id)))
