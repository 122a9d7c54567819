"""Who may follow coverage: the reports domain's access rules."""

from app.auth.models import User
from app.core.roles import Role


def may_see_coverage(user: User) -> bool:
    """Coordinators (their own municipality) and the programme office."""
    return user.role in (Role.COORDINATOR, Role.ADMIN)
