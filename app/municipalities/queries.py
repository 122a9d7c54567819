"""Reads of the municipalities domain."""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import case, exists, func, select

from app.auth.models import User
from app.core import keyset
from app.core.roles import Role
from app.core.text import contains_folded, swedish
from app.extensions import db
from app.municipalities.access import roles_assignable_by
from app.municipalities.models import Municipality, MunicipalityFact
from app.progress.rules import active_agent, staff_trained

PAGE_SIZE = 50


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
            func.count(User.id).filter(active_agent()),
            func.count(User.id).filter(User.role == Role.EMPLOYEE, active),
            func.count(User.id).filter(User.role == Role.COORDINATOR, active),
        )
        .outerjoin(User, User.municipality_id == Municipality.id)
        .group_by(Municipality.id)
        .order_by(swedish(Municipality.name))
    ).all()
    return [MunicipalityOverview(*row) for row in rows]


@dataclass
class PeopleFilter:
    """What the people list is narrowed to; None (or "") means any."""

    text: str = ""  # part of the name or email, any case (Swedish letters too)
    role: str | None = None
    active: bool | None = None
    trained: bool | None = None  # by the coverage rule (`staff_trained`)


@dataclass
class PersonRow:
    """A line of the people list."""

    person: User
    trained: bool


def _is_trained(now: datetime):
    """The person counts as trained by the coverage rule (`rules.staff_trained`) now."""
    trained_rows = staff_trained(now)
    return exists(select(trained_rows.c.user_id).where(trained_rows.c.user_id == User.id))


def _people(municipality: Municipality, filters: PeopleFilter, now: datetime):
    trained = _is_trained(now)
    conditions = [User.municipality_id == municipality.id]
    if filters.text.strip():
        conditions.append(contains_folded(filters.text, User.name, User.email))
    if filters.role:
        conditions.append(User.role == filters.role)
    if filters.active is not None:
        conditions.append(User.active.is_(filters.active))
    if filters.trained is not None:
        conditions.append(trained if filters.trained else ~trained)
    return conditions, trained


def people_page(
    municipality: Municipality, filters: PeopleFilter, now: datetime
) -> tuple[keyset.Page, int]:
    """The page of the municipality's people matching the filters after the request's cursor,
    coordinators and agents first, then by name; and the total (2 queries, whatever the size)."""
    conditions, trained = _people(municipality, filters, now)
    total = db.session.scalar(select(func.count(User.id)).where(*conditions))
    role_order = case({Role.COORDINATOR: 0, Role.AGENT: 1}, value=User.role, else_=2)
    order = [role_order, swedish(User.name), User.id]
    page = keyset.page(select(User, trained).where(*conditions), order, PAGE_SIZE)
    rows = [PersonRow(person, bool(is_trained)) for person, is_trained in page.rows]
    return replace(page, rows=rows), total


def _waiting(municipality: Municipality, viewer: User):
    """Active people here without a password whom the viewer may send links to: for a
    coordinator employees and agents only, never a fellow coordinator (their link would be a
    way into that account)."""
    return (
        User.municipality_id == municipality.id,
        User.active.is_(True),
        User.password_hash.is_(None),
        User.id != viewer.id,
        User.role.in_(roles_assignable_by(viewer)),
    )


def count_waiting_for_activation(municipality: Municipality, viewer: User) -> int:
    """How many people the viewer may send activation links to here (1 query)."""
    return db.session.scalar(select(func.count(User.id)).where(*_waiting(municipality, viewer)))


def email_taken(email: str) -> bool:
    """Whether someone (anywhere) already has this email (1 query)."""
    return db.session.scalar(select(User.id).where(User.email == email)) is not None


def all_municipalities() -> list[Municipality]:
    """Every municipality by name, for choosing one (1 query)."""
    return list(db.session.scalars(select(Municipality).order_by(swedish(Municipality.name))))


def waiting_for_activation(municipality: Municipality, viewer: User) -> list[User]:
    """The people the viewer may send activation links to here, by name (1 query)."""
    return list(
        db.session.scalars(
            db.select(User)
            .where(*_waiting(municipality, viewer))
            .order_by(swedish(User.name), User.email)
        )
    )


def facts_filled_by_municipality() -> dict[int, set[str]]:
    """Per municipality, the names of the facts it has filled in (1 query)."""
    filled: dict[int, set[str]] = {}
    for municipality_id, key in db.session.execute(
        db.select(MunicipalityFact.municipality_id, MunicipalityFact.key).where(
            func.length(func.trim(MunicipalityFact.value)) > 0
        )
    ):
        filled.setdefault(municipality_id, set()).add(key)
    return filled
