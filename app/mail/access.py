"""Who may read the outbox: the programme office (messages hold personal links)."""

from app.auth.models import User
from app.core.roles import Role


def may_read_outbox(user: User) -> bool:
    """Admins only."""
    return user.role == Role.ADMIN
