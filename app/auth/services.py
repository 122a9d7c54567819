"""Writes and checks of the auth domain: creating users, checking credentials."""

import logging

from app.auth.models import Role, User, hash_password
from app.core.validation import EMAIL
from app.extensions import db
from app.municipalities.models import Municipality

log = logging.getLogger(__name__)
# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = hash_password("timing-equaliser")


class UserError(ValueError):
    """A user could not be created; the message says why."""


def normalise_email(email: str) -> str:
    """Emails are unique regardless of case: store them trimmed and lowercase."""
    return email.strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for any failure)."""
    user = db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))
    if user is None or not user.password_hash:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def create_user(
    email: str,
    name: str,
    role: str,
    municipality_code: str | None = None,
    password: str | None = None,
) -> User:
    """Create one user after checking role, municipality and uniqueness.

    :raise UserError: unknown role or municipality, bad email, or the email is taken.
    """
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise UserError(f"'{email}' is not an email address")
    if not name.strip():
        raise UserError("the name must not be empty")
    if role not in set(Role):
        raise UserError(f"unknown role '{role}' (choose one of: {', '.join(Role)})")
    municipality = None
    if municipality_code:
        municipality = db.session.scalar(
            db.select(Municipality).filter_by(code=municipality_code.strip())
        )
        if municipality is None:
            raise UserError(f"unknown municipality code '{municipality_code}'")
    elif role != Role.ADMIN:
        raise UserError(f"a user with the role '{role}' needs a municipality (--municipality CODE)")
    if db.session.scalar(db.select(User.id).filter_by(email=email)) is not None:
        raise UserError(f"a user with the email '{email}' already exists")
    user = User(email=email, name=name.strip(), role=role, municipality=municipality)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.commit()
    log.info("Created user %s (%s)", email, role)
    return user


def set_user_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    if user.locale != locale:
        user.locale = locale
        db.session.commit()
