"""Writes of the municipalities domain: the municipalities, their targets and their people.

Rules for people (DESIGN §2, §5):
- A coordinator creates and edits the employees and agents of their own municipality and may
  switch them between those two roles; only admins give the coordinator and admin roles.
- Whoever stops being an active agent (demoted, deactivated, or moved to another municipality)
  loses their certification at that moment: `agent_role_ended` (sessions held while certified
  keep counting). A moved agent would otherwise be an agent of a municipality that did not
  appoint them; they certify again there at a follow-up meeting.
- Moving a person (admins only) keeps their history with them (completions, attendance,
  certificates); coverage counts them where they are now, as `staff_trained` goes by the
  person's current municipality. The old municipality's staff target is not lowered.
"""

import logging

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.services import end_sessions, normalise_email
from app.core.audit import AuditAction, audit
from app.core.errors import DomainError, one_transaction
from app.core.events import agent_role_ended
from app.core.roles import Role
from app.core.time import utcnow
from app.extensions import db
from app.municipalities.access import roles_assignable_by
from app.municipalities.models import Municipality, MunicipalityFact
from app.municipalities.queries import email_taken
from app.municipalities.roster import set_target_from_roster

log = logging.getLogger(__name__)

# Dalarna's 15 municipalities with their official codes (SCB), largest first, and approximate
# population (GLOSSARY.md): it splits the energy baseline until the programme office sets it.
DALARNA = (
    ("2080", "Falun", 59_000),
    ("2081", "Borlänge", 52_000),
    ("2085", "Ludvika", 26_000),
    ("2084", "Avesta", 23_000),
    ("2062", "Mora", 20_000),
    ("2029", "Leksand", 16_000),
    ("2083", "Hedemora", 15_000),
    ("2082", "Säter", 11_000),
    ("2061", "Smedjebacken", 11_000),
    ("2031", "Rättvik", 11_000),
    ("2026", "Gagnef", 10_000),
    ("2023", "Malung-Sälen", 10_000),
    ("2039", "Älvdalen", 7_000),
    ("2034", "Orsa", 7_000),
    ("2021", "Vansbro", 7_000),
)


def seed_municipalities() -> int:
    """Create the municipalities that are missing, fix changed names and fill in a missing
    population; return how many changed."""
    existing = {m.code: m for m in db.session.scalars(db.select(Municipality))}
    changed = 0
    for code, name, population in DALARNA:
        municipality = existing.get(code)
        if municipality is None:
            db.session.add(Municipality(code=code, name=name, population=population))
            changed += 1
        elif municipality.name != name or municipality.population is None:
            municipality.name = name
            municipality.population = municipality.population or population
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
    audit(by, AuditAction.TARGETS_SET, municipality_id=municipality.id, staff=staff_target,
          agents=agent_target)  # fmt: skip
    db.session.commit()
    log.info("Targets of %s set by %s: %d staff, %s agents", municipality.code, by.email,
             staff_target, agent_target)  # fmt: skip


def set_active(person, active: bool, by=None) -> None:
    """Deactivate someone who left (history kept, no longer counted) or reactivate them.

    A deactivated agent stops being an agent: their certification ends (`agent_role_ended`);
    reactivated, they certify again at a new follow-up meeting.
    """
    with one_transaction():
        was_active_agent = person.active and person.role == Role.AGENT
        person.active = active
        if not active:
            end_sessions(person)  # signed out everywhere, at once
        set_target_from_roster(person.municipality)
        if was_active_agent and not active:
            agent_role_ended.send(person, by=by)
        audit(
            by, AuditAction.PERSON_REACTIVATED if active else AuditAction.PERSON_DEACTIVATED, person
        )
    log.info("%s is now %s", person.email, "active" if active else "deactivated")


class PersonError(DomainError, ValueError):
    """A person could not be saved: `field` names the form field, the message says why."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field


def _check_role(role: str, by: User) -> None:
    if role not in roles_assignable_by(by):
        raise PersonError("role", _l("Du kan inte ge den rollen."))


def add_person(
    email: str,
    name: str,
    role: str,
    municipality: Municipality | None,
    by: User | None,
    unit: str = "",
    password: str | None = None,
) -> User:
    """Add one person: the one way the people page, `flask users create` and a first sign-in
    through the municipality's provider create someone (a roster adds many at once through
    `roster.apply`). The entry is audited and the staff target follows the roster; the caller
    commits. Without a password the person activates through a link.

    :raise PersonError: a missing municipality (for anyone but the programme office), or an
        e-mail address that is taken.
    """
    email = normalise_email(email)
    if role == Role.ADMIN:
        municipality = None
    elif municipality is None:
        raise PersonError("municipality", _l("Välj en kommun."))
    if email_taken(email):
        raise PersonError("email", _l("Det finns redan ett konto med den här e-postadressen."))
    person = User(email=email, name=name.strip(), role=role, unit=unit.strip(),
                  municipality=municipality)  # fmt: skip
    if password:
        person.set_password(password)
    db.session.add(person)
    db.session.flush()
    if municipality is not None:
        set_target_from_roster(municipality)
    audit(by, AuditAction.PERSON_CREATED, person, role=role)
    log.info("%s added %s (%s) in %s", by.email if by else "The system", email, role,
             municipality.code if municipality else "the programme office")  # fmt: skip
    return person


def create_person(
    name: str, email: str, role: str, unit: str, municipality: Municipality | None, by: User
) -> User:
    """A coordinator or admin adds someone on the people page (`add_person`, one commit).

    :raise PersonError: a role `by` may not give, a missing municipality, or a taken email.
    """
    _check_role(role, by)
    person = add_person(email, name, role, municipality, by, unit=unit)
    db.session.commit()
    return person


def update_person(person: User, name: str, role: str, unit: str, by: User) -> None:
    """Change someone's name, role and unit; an agent who gets another role loses their
    certification (`agent_role_ended`), and someone made admin leaves their municipality.

    :raise PersonError: a role `by` may not give, or an erased person (who stays anonymous).
    """
    if person.erased_at is not None:
        raise PersonError("name", _l("Personen är raderad: uppgifterna kan inte ändras."))
    if role != person.role:
        _check_role(role, by)
    if person.role == Role.ADMIN and role != Role.ADMIN:
        # every other role belongs to a municipality, and the programme office has none
        raise PersonError(
            "role", _l("Programkontoret hör inte till någon kommun. Skapa ett nytt konto i "
                       "kommunen i stället.")
        )  # fmt: skip
    with one_transaction():
        was_active_agent = person.active and person.role == Role.AGENT
        old_role, former = person.role, person.municipality
        person.name, person.role, person.unit = name.strip(), role, unit.strip()
        if role == Role.ADMIN:
            person.municipality = None  # the programme office belongs to no municipality
        db.session.flush()
        if former is not None:
            set_target_from_roster(former)
        if was_active_agent and role != Role.AGENT:
            agent_role_ended.send(person, by=by)
        if role != old_role:
            audit(by, AuditAction.ROLE_CHANGED, person, old=old_role, new=role)
    log.info("%s updated %s (role %s -> %s)", by.email, person.email, old_role, role)


def move_person(person: User, municipality: Municipality, by: User) -> None:
    """Move someone to another municipality; their history goes with them and coverage counts
    them there from now on. Moving an agent ends their certification (`agent_role_ended`),
    since they would be an agent of a municipality that did not appoint them.

    :raise PersonError: an admin (who belongs to no municipality), or the same municipality.
    """
    if person.role == Role.ADMIN:
        raise PersonError("municipality", _l("Programkontoret hör inte till någon kommun."))
    if person.municipality_id == municipality.id:
        raise PersonError("municipality", _l("Personen finns redan i den kommunen."))
    with one_transaction():
        former = person.municipality.code if person.municipality else "-"
        person.municipality = municipality
        db.session.flush()
        set_target_from_roster(municipality)  # grows with the newcomer; the old one is not lowered
        if person.active and person.role == Role.AGENT:
            agent_role_ended.send(person, by=by)
        audit(by, AuditAction.PERSON_MOVED, person, old=former, new=municipality.code)
    log.info("%s moved %s from %s to %s", by.email, person.email, former, municipality.code)


def save_facts(municipality: Municipality, values: dict[str, str], by) -> int:
    """Upsert the municipality's facts (an empty value clears one); returns how many changed."""
    existing = {
        fact.key: fact
        for fact in db.session.scalars(
            db.select(MunicipalityFact).where(MunicipalityFact.municipality_id == municipality.id)
        )
    }
    now, changed = utcnow(), []
    for key, value in values.items():
        value = value.strip()
        fact = existing.get(key)
        if fact is None and value:
            db.session.add(MunicipalityFact(municipality_id=municipality.id, key=key, value=value,
                                            updated_at=now, updated_by_id=by.id))  # fmt: skip
        elif fact is not None and fact.value != value:
            fact.value, fact.updated_at, fact.updated_by_id = value, now, by.id
        else:
            continue
        changed.append(key)
    if changed:
        audit(by, AuditAction.FACTS_UPDATED, municipality_id=municipality.id, facts=changed)
    db.session.commit()
    log.info("%s changed %d fact(s) of %s", by.email, len(changed), municipality.code)
    return len(changed)
