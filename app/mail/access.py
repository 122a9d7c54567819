"""Who may read the outbox: the programme office (messages hold personal links)."""

from app.auth.models import Role, User


def may_read_outbox(user: User) -> bool:
    """Admins only."""
    return user.role == Role.ADMIN
