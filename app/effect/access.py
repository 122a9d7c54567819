"""Who may log travel-free meetings, follow the effect, correct an entry and set the factors."""

from app.auth.models import User
from app.core.roles import Role
from app.core.scope import Scope
from app.effect.models import TravelFreeMeeting


def may_log_meetings(user: User) -> bool:
    """Agents and coordinators log their municipality's meetings; the programme office any."""
    return user.role == Role.ADMIN or (
        user.role in (Role.AGENT, Role.COORDINATOR) and user.municipality_id is not None
    )


def may_follow_effect(user: User) -> bool:
    """Coordinators (their own municipality) and the programme office follow the effect."""
    return user.role in (Role.COORDINATOR, Role.ADMIN)


def may_set_factors(user: User) -> bool:
    """The factors, the baseline and its split are the programme office's."""
    return user.role == Role.ADMIN


def may_correct(user: User, entry: TravelFreeMeeting) -> bool:
    """The programme office any entry; a coordinator their municipality's; an agent their own."""
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return Scope.of(user).covers(entry.municipality_id)
    return user.role == Role.AGENT and entry.created_by_id == user.id
