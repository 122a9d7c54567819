"""Who may follow coverage: the reports domain's access rules."""

from app.auth.models import Role, User


def may_see_coverage(user: User) -> bool:
    """Coordinators (their own municipality) and the programme office."""
    return user.role in (Role.COORDINATOR, Role.ADMIN)


def may_see_every_municipality(user: User) -> bool:
    """The overview of all 15 and its export are the programme office's."""
    return user.role == Role.ADMIN
