"""Who may read the audit log and erase people: the programme office."""

from app.auth.models import User
from app.core.roles import Role


def may_read_audit_log(user: User) -> bool:
    """The audit log is the programme office's (it covers every municipality)."""
    return user.role == Role.ADMIN


def may_erase_people(user: User) -> bool:
    """Erasing a person is the programme office's, the controller's representative."""
    return user.role == Role.ADMIN


def may_erase(viewer: User, person: User) -> bool:
    """An admin erases anyone not yet erased but themselves."""
    return may_erase_people(viewer) and person.id != viewer.id and person.erased_at is None
