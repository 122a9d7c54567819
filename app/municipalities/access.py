"""Who may see which municipality, manage its people and set its targets."""

from flask import abort
from flask_login import current_user

from app.auth.models import Role, User
from app.extensions import db
from app.municipalities.models import Municipality


def can_see_municipality(user: User, municipality: Municipality) -> bool:
    """Admins see every municipality; everyone else only their own."""
    return user.role == Role.ADMIN or user.municipality_id == municipality.id


def may_manage_people(user: User) -> bool:
    """Coordinators (their own municipality) and admins import rosters and (de)activate people."""
    return user.role in (Role.COORDINATOR, Role.ADMIN)


def may_see_every_municipality(user: User) -> bool:
    """The list of all municipalities is the programme office's."""
    return user.role == Role.ADMIN


def may_set_targets(user: User) -> bool:
    """Targets are the programme office's: one municipality cannot inflate its own coverage."""
    return user.role == Role.ADMIN


def get_municipality_or_404(code: str) -> Municipality:
    """The municipality with this code, if the current user may see it.

    :raise 404: unknown code, or another municipality than the user's (never 403, which
        would confirm that it exists).
    """
    municipality = db.session.scalar(db.select(Municipality).filter_by(code=code))
    if municipality is None or not can_see_municipality(current_user, municipality):
        abort(404)
    return municipality
