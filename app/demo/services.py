"""Demo data: a realistic spread of people across the 15 municipalities."""

import logging
import random
import unicodedata

from app.auth.models import Role, User, hash_password
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.services import seed_municipalities

log = logging.getLogger(__name__)

DEMO_PASSWORD = "resfritt-demo"  # noqa: S105 - printed by `make run`; demo data only
DEMO_DOMAIN = "demo.se"
# Approximate population (GLOSSARY.md), used to spread ~100 agents and ~1,800 staff.
POPULATION = {
    "2080": 59000, "2081": 52000, "2085": 26000, "2084": 23000, "2062": 20000,
    "2029": 16000, "2083": 15000, "2082": 11000, "2061": 11000, "2031": 11000,
    "2026": 10000, "2023": 10000, "2039": 7000, "2034": 7000, "2021": 7000,
}  # fmt: skip
TOTAL_AGENTS, TOTAL_STAFF, EMPLOYEES_EACH = 100, 1800, 6
FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Sara", "Johan", "Elin", "Per",
    "Ingrid", "Mikael", "Emma", "Nils", "Sofia", "Olof", "Lena", "Jonas", "Åsa", "Björn",
    "Maja", "Gustav", "Linnéa", "Henrik", "Ebba", "Fredrik", "Malin", "Magnus", "Aisha", "Ali",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Hedlund", "Öberg",
    "Lindqvist", "Berglund", "Dahlberg", "Ek", "Sjöberg", "Mattsson", "Hassan", "Nguyen",
)  # fmt: skip


class DemoDataExists(Exception):
    """The database already holds users; demo data is only added to an empty one."""


def ascii_slug(name: str) -> str:
    """ "Malung-Sälen" → "malung-salen": for demo email addresses."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return folded.lower().replace(" ", "-")


def demo_email(role_word: str, municipality: Municipality, number: int | None = None) -> str:
    """E.g. agent2.falun@demo.se."""
    suffix = "" if number is None else str(number)
    return f"{role_word}{suffix}.{ascii_slug(municipality.name)}@{DEMO_DOMAIN}"


def seed_demo() -> int:
    """Add an admin, and per municipality a coordinator, agents and employees; return the count.

    :raise DemoDataExists: there are users already.
    """
    if db.session.scalar(db.select(User.id).limit(1)) is not None:
        raise DemoDataExists("the database already has users; demo data was not added")
    seed_municipalities()
    names = random.Random(2026)  # the same people on every machine
    password_hash = hash_password(DEMO_PASSWORD)  # one scrypt run, shared by all demo users
    people = [User(email=f"admin@{DEMO_DOMAIN}", name="Programkontoret Dalarna", role=Role.ADMIN)]
    total_population = sum(POPULATION.values())
    for municipality in db.session.scalars(db.select(Municipality).order_by(Municipality.code)):
        share = POPULATION.get(municipality.code, 7000) / total_population
        agents = max(2, round(TOTAL_AGENTS * share))
        municipality.agent_target = agents
        municipality.staff_target = round(TOTAL_STAFF * share)
        people.append(
            _person(names, demo_email("koordinator", municipality), Role.COORDINATOR, municipality)
        )
        for number in range(1, agents + 1):
            people.append(
                _person(names, demo_email("agent", municipality, number), Role.AGENT, municipality)
            )
        for number in range(1, EMPLOYEES_EACH + 1):
            email = demo_email("medarbetare", municipality, number)
            people.append(_person(names, email, Role.EMPLOYEE, municipality))
    for person in people:
        person.password_hash = password_hash
    db.session.add_all(people)
    db.session.commit()
    log.info("Seeded %d demo users", len(people))
    return len(people)


def _person(names: random.Random, email: str, role: Role, municipality: Municipality) -> User:
    name = f"{names.choice(FIRST_NAMES)} {names.choice(LAST_NAMES)}"
    return User(email=email, name=name, role=role, municipality=municipality)


def demo_logins() -> list[tuple[str, str]]:
    """The demo logins worth printing: one per role, in Falun."""
    return [
        ("admin (programkontoret)", f"admin@{DEMO_DOMAIN}"),
        ("coordinator, Falun", f"koordinator.falun@{DEMO_DOMAIN}"),
        ("agent, Falun", f"agent1.falun@{DEMO_DOMAIN}"),
        ("employee, Falun", f"medarbetare1.falun@{DEMO_DOMAIN}"),
    ]
