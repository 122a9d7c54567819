"""Reads of the municipalities domain."""

from dataclasses import dataclass

from sqlalchemy import case, func

from app.auth.models import Role, User
from app.extensions import db
from app.municipalities.models import Municipality


@dataclass
class MunicipalityOverview:
    """A municipality with its head counts by role."""

    municipality: Municipality
    agents: int
    employees: int
    coordinators: int


def overview_of_all() -> list[MunicipalityOverview]:
    """Every municipality with active users counted by role (1 query)."""
    active = User.active.is_(True)
    rows = db.session.execute(
        db.select(
            Municipality,
            func.count(User.id).filter(User.role == Role.AGENT, active),
            func.count(User.id).filter(User.role == Role.EMPLOYEE, active),
            func.count(User.id).filter(User.role == Role.COORDINATOR, active),
        )
        .outerjoin(User, User.municipality_id == Municipality.id)
        .group_by(Municipality.id)
        .order_by(Municipality.name)
    ).all()
    return [MunicipalityOverview(*row) for row in rows]


def people_of(municipality: Municipality) -> list[User]:
    """The municipality's users, agents and coordinators first, then by name (1 query)."""
    role_order = case({Role.COORDINATOR: 0, Role.AGENT: 1}, value=User.role, else_=2)
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.municipality_id == municipality.id)
            .order_by(role_order, User.name)
        )
    )


def waiting_for_activation(municipality: Municipality) -> list[User]:
    """Active people of the municipality who have not chosen a password yet, by name (1 query)."""
    return list(
        db.session.scalars(
            db.select(User)
            .where(
                User.municipality_id == municipality.id,
                User.active.is_(True),
                User.password_hash.is_(None),
            )
            .order_by(User.name, User.email)
        )
    )
