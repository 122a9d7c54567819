"""Demo data: a realistic spread of people across the 15 municipalities."""

import logging
import random
import unicodedata
from datetime import timedelta

from app.auth.models import Role, User, hash_password, utcnow
from app.certificates.services import issue_certificate
from app.courses.models import CompletionMethod, Course, CourseCompletion
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.services import seed_municipalities
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession

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
    _seed_progress(people)
    log.info("Seeded %d demo users", len(people))
    return len(people)


def _seed_progress(people: list[User]) -> None:
    """Some finished training, so coverage and certificates have something to show.

    In every municipality agent2 is certified (both parts and the follow-up meeting), and
    medarbetare2–4 have the end-user certificate: one online, two at agent2's session.
    agent1 and medarbetare1 stay untouched, for trying the courses from the start.
    Skipped when the courses are not synced yet.
    """
    courses = {c.slug: c for c in db.session.scalars(db.select(Course))}
    agent_course, end_user_course = courses.get("agent"), courses.get("end-user")
    if agent_course is None or end_user_course is None:
        log.info("Courses not synced: demo users have no completions")
        return
    by_email = {person.email: person for person in people}
    now = utcnow()
    follow_up = TrainingSession(
        kind=SessionKind.AGENT_FOLLOW_UP,
        title="Uppföljningsmöte via webben",
        starts_at=now - timedelta(days=60, hours=2),
        ends_at=now - timedelta(days=60, hours=1),
        place="Webbmöte",
    )
    db.session.add(follow_up)
    db.session.flush()
    completions = []
    for municipality in db.session.scalars(db.select(Municipality)):
        agent = by_email[demo_email("agent", municipality, 2)]
        db.session.add(
            Attendance(session_id=follow_up.id, user_id=agent.id, status=AttendanceStatus.ATTENDED)
        )
        completions.append((agent, agent_course, None, now - timedelta(days=60)))
        session = TrainingSession(
            kind=SessionKind.END_USER,
            title="Resfria möten i vardagen",
            agent_id=agent.id,
            municipality_id=municipality.id,
            starts_at=now - timedelta(days=20, hours=2),
            ends_at=now - timedelta(days=20, minutes=30),
            place="Kommunhuset, videorummet",
            capacity=12,
        )
        db.session.add(session)
        db.session.flush()
        for number in (2, 3, 4):
            employee = by_email[demo_email("medarbetare", municipality, number)]
            via = session if number > 2 else None
            if via:
                db.session.add(
                    Attendance(
                        session_id=via.id,
                        user_id=employee.id,
                        status=AttendanceStatus.ATTENDED,
                        marked_by_id=agent.id,
                        marked_at=via.ends_at,
                    )
                )
            completions.append((employee, end_user_course, via, now - timedelta(days=20 - number)))
    for user, course, session, when in completions:
        db.session.add(
            CourseCompletion(
                user_id=user.id,
                course_id=course.id,
                method=CompletionMethod.SESSION if session else CompletionMethod.ONLINE,
                session_id=session.id if session else None,
                course_version=course.version,
                completed_at=when,
            )
        )
    db.session.commit()
    for user, course, _, _ in completions:
        issue_certificate(user, course)


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
