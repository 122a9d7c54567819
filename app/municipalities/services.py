"""Writes of the municipalities domain."""

import logging

from app.auth.models import Role
from app.auth.services import end_sessions
from app.auth.signals import agent_role_ended
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.roster import set_target_from_roster

log = logging.getLogger(__name__)

# Dalarna's 15 municipalities with their official codes (SCB), largest first.
DALARNA = (
    ("2080", "Falun"),
    ("2081", "Borlänge"),
    ("2085", "Ludvika"),
    ("2084", "Avesta"),
    ("2062", "Mora"),
    ("2029", "Leksand"),
    ("2083", "Hedemora"),
    ("2082", "Säter"),
    ("2061", "Smedjebacken"),
    ("2031", "Rättvik"),
    ("2026", "Gagnef"),
    ("2023", "Malung-Sälen"),
    ("2039", "Älvdalen"),
    ("2034", "Orsa"),
    ("2021", "Vansbro"),
)


def seed_municipalities() -> int:
    """Create the municipalities that are missing and fix changed names; return how many changed."""
    existing = {m.code: m for m in db.session.scalars(db.select(Municipality))}
    changed = 0
    for code, name in DALARNA:
        municipality = existing.get(code)
        if municipality is None:
            db.session.add(Municipality(code=code, name=name))
            changed += 1
        elif municipality.name != name:
            municipality.name = name
            changed += 1
    db.session.commit()
    log.info("Seeded municipalities: %d changed", changed)
    return changed


def set_targets(
    municipality: Municipality, staff_target: int, agent_target: int | None, by
) -> None:
    """The programme office's targets; roster imports keep the staff target from now on."""
    municipality.staff_target, municipality.staff_target_explicit = staff_target, True
    municipality.agent_target = agent_target
    db.session.commit()
    log.info("Targets of %s set by %s: %d staff, %s agents", municipality.code, by.email,
             staff_target, agent_target)  # fmt: skip


def set_active(person, active: bool, by=None) -> None:
    """Deactivate someone who left (history kept, no longer counted) or reactivate them.

    A deactivated agent stops being an agent: their certification ends (`agent_role_ended`);
    reactivated, they certify again at a new follow-up meeting.
    """
    was_active_agent = person.active and person.role == Role.AGENT
    person.active = active
    if not active:
        end_sessions(person)  # signed out everywhere, at once
    set_target_from_roster(person.municipality)
    if was_active_agent and not active:
        agent_role_ended.send(person, by=by)
    db.session.commit()
    log.info("%s is now %s", person.email, "active" if active else "deactivated")
