"""Who may see which municipality, manage its people (and which roles they may give), move people
and set targets."""

from flask import abort
from flask_login import current_user

from app.auth.models import User
from app.core.roles import Role
from app.core.scope import Scope
from app.extensions import db
from app.municipalities.models import Municipality

# A coordinator makes employees agents and back, nothing higher.
COORDINATOR_ASSIGNABLE = (Role.EMPLOYEE, Role.AGENT)


def can_see_municipality(user: User, municipality: Municipality) -> bool:
    """Admins see every municipality; everyone else only their own (`Scope`)."""
    return Scope.of(user).covers(municipality.id)


def may_manage_people(user: User) -> bool:
    """Coordinators (their own municipality) and admins import rosters and (de)activate people."""
    return user.role in (Role.COORDINATOR, Role.ADMIN)


def can_see_person(viewer: User, person: User) -> bool:
    """Admins see everyone; a coordinator the people of their own municipality."""
    if viewer.role == Role.ADMIN:
        return True
    return (
        viewer.role == Role.COORDINATOR
        and person.municipality_id is not None
        and person.municipality_id == viewer.municipality_id
    )


def may_manage_person(viewer: User, person: User) -> bool:
    """Edit, (de)activate and send links: admins anyone else; a coordinator the employees and
    agents of their own municipality (not other coordinators, not the programme office)."""
    if person.id == viewer.id or not can_see_person(viewer, person):
        return False
    return viewer.role == Role.ADMIN or person.role in COORDINATOR_ASSIGNABLE


def roles_assignable_by(viewer: User) -> tuple[Role, ...]:
    """The roles the viewer may give: admins any, coordinators employee and agent, others none."""
    if viewer.role == Role.ADMIN:
        return tuple(Role)
    if viewer.role == Role.COORDINATOR:
        return COORDINATOR_ASSIGNABLE
    return ()


def may_move_people(viewer: User) -> bool:
    """Moving someone to another municipality is the programme office's."""
    return viewer.role == Role.ADMIN


def may_set_targets(user: User) -> bool:
    """Targets are the programme office's: one municipality cannot inflate its own coverage."""
    return user.role == Role.ADMIN


def visible_municipality(user: User, code: str) -> Municipality | None:
    """The municipality with this code, if the user may see it (None otherwise)."""
    municipality = db.session.scalar(db.select(Municipality).filter_by(code=code))
    if municipality is None or not can_see_municipality(user, municipality):
        return None
    return municipality


def get_municipality_or_404(code: str) -> Municipality:
    """The municipality with this code, if the current user may see it.

    :raise 404: unknown code, or another municipality than the user's (never 403, which
        would confirm that it exists).
    """
    municipality = visible_municipality(current_user, code)
    if municipality is None:
        abort(404)
    return municipality


def get_person_or_404(user_id: int) -> User:
    """The person with this id, if the current user may see them.

    :raise 404: unknown id, or someone the user may not see (another municipality's person).
    """
    person = db.session.get(User, user_id)
    if person is None or not can_see_person(current_user, person):
        abort(404)
    return person
