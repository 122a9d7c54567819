"""Every figure about the cascade agrees with a plain reference implementation of DESIGN §5.

Hypothesis builds random municipalities of agents (certified or not, later revoked or demoted),
sessions (past, future, cancelled), attendance (some later marked absent) and completions (online
and via sessions, some no longer valid); the headline, the month trend, the agents' reach, the
API, the CSV/XLSX exports and the xAPI feed must all tell the same story as the reference.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.auth.models import User
from app.certificates.models import Certificate
from app.core.roles import Role
from app.core.time import utcnow
from app.courses.models import Audience, Course, CourseCompletion
from app.extensions import db
from app.reports import queries
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession
from tests.support.jobs import download

CODES = ("2080", "2062", "2034")  # Falun, Mora, Orsa
NOW = utcnow().replace(microsecond=0)


def day(offset: int) -> datetime:
    return NOW + timedelta(days=offset, hours=-1)


@dataclass
class AgentSpec:
    municipality: int
    role: str
    active: bool
    issued: int | None  # day of the agent certificate, None: not certified
    revoked: int | None  # days after issue, None: never


@dataclass
class SessionSpec:
    agent: int
    start: int
    cancelled: bool


@dataclass
class PersonSpec:
    municipality: int
    active: bool
    attendance: dict[int, str] = field(default_factory=dict)
    completion: tuple[str, int, int | None] | None = None  # method, day, session


agents_st = st.builds(
    AgentSpec,
    municipality=st.integers(0, 2),
    role=st.sampled_from([Role.AGENT, Role.AGENT, Role.AGENT, Role.EMPLOYEE]),
    active=st.sampled_from([True, True, True, False]),
    issued=st.one_of(st.none(), st.integers(-200, -1)),
    revoked=st.one_of(st.none(), st.none(), st.integers(1, 150)),
)


@st.composite
def scenarios(draw):
    agents = draw(st.lists(agents_st, min_size=1, max_size=5))
    sessions = draw(
        st.lists(
            st.builds(
                SessionSpec,
                agent=st.integers(0, len(agents) - 1),
                start=st.integers(-150, 10),
                cancelled=st.sampled_from([False, False, True]),
            ),
            max_size=6,
        )
    )
    people = []
    for _ in range(draw(st.integers(0, 12))):
        person = PersonSpec(municipality=draw(st.integers(0, 2)), active=draw(st.booleans()))
        if sessions:
            chosen = draw(st.lists(st.integers(0, len(sessions) - 1), max_size=2, unique=True))
            for index in chosen:
                person.attendance[index] = draw(st.sampled_from(list(AttendanceStatus)))
        kind = draw(st.sampled_from(["none", "online", "session"]))
        if kind == "online":
            person.completion = ("online", draw(st.integers(-150, 0)), None)
        elif kind == "session" and sessions:
            index = draw(st.integers(0, len(sessions) - 1))
            person.completion = ("session", sessions[index].start, index)
        people.append(person)
    return agents, sessions, people


def clear() -> None:
    for model in (Certificate, CourseCompletion, Attendance, TrainingSession):
        db.session.execute(db.delete(model))
    db.session.execute(db.delete(User).where(User.role != Role.ADMIN))
    db.session.commit()


def build(scenario, courses, municipalities):
    """Write the scenario as rows; return the objects for the reference."""
    agents_spec, sessions_spec, people_spec = scenario
    places = [municipalities[code] for code in CODES]
    agents = []
    for number, spec in enumerate(agents_spec):
        agent = User(
            email=f"agent{number}@example.se", name=f"Agent {number}", role=spec.role,
            municipality=places[spec.municipality], active=spec.active,
        )  # fmt: skip
        db.session.add(agent)
        agents.append(agent)
    db.session.flush()
    for number, (agent, spec) in enumerate(zip(agents, agents_spec, strict=True)):
        if spec.issued is None:
            continue
        db.session.add(CourseCompletion(user_id=agent.id, course_id=courses["agent"].id,
                                        method="online", completed_at=day(spec.issued)))  # fmt: skip
        db.session.add(Certificate(
            code=f"AGENT{number:07d}", user_id=agent.id, course_id=courses["agent"].id,
            course_title="Mötesagentutbildning", course_version=1, holder_name=agent.name,
            municipality_id=agent.municipality_id, issued_at=day(spec.issued),
            revoked_at=day(spec.issued + spec.revoked) if spec.revoked else None,
        ))  # fmt: skip
    sessions = []
    for spec in sessions_spec:
        agent = agents[spec.agent]
        session = TrainingSession(
            kind=SessionKind.END_USER, title="Resfria möten", agent_id=agent.id,
            municipality_id=agent.municipality_id, starts_at=day(spec.start),
            ends_at=day(spec.start) + timedelta(hours=1),
            cancelled_at=day(spec.start - 1) if spec.cancelled else None,
        )  # fmt: skip
        db.session.add(session)
        sessions.append(session)
    people = []
    for number, spec in enumerate(people_spec):
        person = User(
            email=f"person{number}@example.se", name=f"Person {number}", role=Role.EMPLOYEE,
            municipality=places[spec.municipality], active=spec.active,
        )  # fmt: skip
        db.session.add(person)
        people.append(person)
    db.session.flush()
    for person, spec in zip(people, people_spec, strict=True):
        for index, status in spec.attendance.items():
            db.session.add(Attendance(session_id=sessions[index].id, user_id=person.id,
                                      status=status))  # fmt: skip
        if spec.completion:
            method, when, index = spec.completion
            db.session.add(CourseCompletion(
                user_id=person.id, course_id=courses["employee"].id, method=method,
                session_id=sessions[index].id if index is not None else None,
                completed_at=day(when) + timedelta(minutes=30),
            ))  # fmt: skip
    db.session.commit()
    return agents, sessions, people


class Reference:
    """DESIGN §5 in plain Python, over the scenario's specs."""

    def __init__(self, scenario):
        self.agents, self.sessions, self.people = scenario

    def certified_at(self, agent: AgentSpec, at: int) -> bool:
        if agent.issued is None:
            return False
        revoked_at = agent.issued + agent.revoked if agent.revoked else None
        return agent.issued <= at and (revoked_at is None or revoked_at > at)

    def certified_now(self, agent: AgentSpec) -> bool:
        return (
            agent.role == Role.AGENT
            and agent.active
            and agent.issued is not None
            and agent.revoked is None
        )

    def held(self, index: int) -> bool:
        session = self.sessions[index]
        return (
            not session.cancelled
            and session.start <= 0
            and self.certified_at(self.agents[session.agent], session.start)
        )

    def trained(self, person: PersonSpec) -> str | None:
        """How the person counts as trained: 'online', 'session' or None."""
        if not person.active or person.completion is None:
            return None
        method, _, index = person.completion
        if method == "online":
            return "online"
        if self.held(index) and person.attendance.get(index) == AttendanceStatus.ATTENDED:
            return "session"
        return None

    def figures(self, m: int) -> dict:
        trained = [p for p in self.people if p.municipality == m and self.trained(p)]
        held = [i for i, s in enumerate(self.sessions) if self.agents[s.agent].municipality == m
                and self.held(i)]  # fmt: skip
        attendees = {
            (n, i) for n, p in enumerate(self.people) for i in held
            if p.attendance.get(i) == AttendanceStatus.ATTENDED
        }  # fmt: skip
        return {
            "staff_trained": len(trained),
            "trained_online": sum(1 for p in trained if self.trained(p) == "online"),
            "trained_via_session": sum(1 for p in trained if self.trained(p) == "session"),
            "agents_certified": sum(
                1 for a in self.agents if a.municipality == m and self.certified_now(a)
            ),
            "sessions_held": len(held),
            "attendees": len({n for n, _ in attendees}),
        }

    def reach(self, m: int) -> dict[str, tuple[int, int]]:
        """Per agent email: sessions held in m and staff of m trained by them. Listed: the
        active agents of m, and anyone who held sessions in m or trained its staff."""
        result = {}
        for number, agent in enumerate(self.agents):
            held = [
                i for i, s in enumerate(self.sessions)
                if s.agent == number and agent.municipality == m and self.held(i)
            ]  # fmt: skip
            trained = sum(
                1 for p in self.people
                if p.municipality == m and self.trained(p) == "session"
                and self.sessions[p.completion[2]].agent == number
            )  # fmt: skip
            own = agent.municipality == m and agent.role == Role.AGENT and agent.active
            if held or trained or own:
                result[f"agent{number}@example.se"] = (len(held), trained)
        return result


@pytest.fixture
def admin_client(client, auth, create_user):
    auth.login_as(create_user(role=Role.ADMIN))
    return client


@pytest.fixture
def rule_courses(app):
    agent = Course(slug="agent", title="Mötesagentutbildning", audience=Audience.AGENT,
                   certificate=True, follow_up_required=True)  # fmt: skip
    employee = Course(slug="end-user", title="Slutanvändarutbildning", audience=Audience.EMPLOYEE,
                      certificate=True)  # fmt: skip
    db.session.add_all([agent, employee])
    db.session.commit()
    return {"agent": agent, "employee": employee}


FIGURES = ("staff_trained", "trained_online", "trained_via_session", "agents_certified",
           "sessions_held", "attendees")  # fmt: skip


@pytest.mark.property
@pytest.mark.real_commits  # the exports are jobs
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios())
def test_every_figure_agrees_with_the_reference(
    scenario, admin_client, rule_courses, municipalities
):
    clear()
    build(scenario, rule_courses, municipalities)
    reference = Reference(scenario)
    api = {row["code"]: row for row in admin_client.get("/api/v1/coverage").json["municipalities"]}
    exported = {
        row["Kod"]: row
        for row in csv.DictReader(
            io.StringIO(download(admin_client, "/reports/coverage.csv").data.decode("utf-8-sig")),
            delimiter=";",
        )
    }
    sheet = load_workbook(io.BytesIO(download(admin_client, "/reports/coverage.xlsx").data)).active
    header, *xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    xlsx = {row[0]: dict(zip(header, row, strict=True)) for row in xlsx_rows}
    headline = {row.code: row for row in queries.coverage_by_municipality()}
    xapi_completed = Counter()
    for statement in admin_client.get("/api/v1/xapi/statements").json["statements"]:
        if (
            statement["verb"]["id"].endswith("/completed")
            and "end-user" in statement["object"]["id"]
        ):
            xapi_completed[statement["actor"]["mbox"]] += 1
    for m, code in enumerate(CODES):
        expected = reference.figures(m)
        place = municipalities[code]
        row = headline[code]
        assert {key: getattr(row, key) for key in FIGURES} == expected, code
        assert {key: api[code][key] for key in FIGURES} == expected, code
        assert int(exported[code]["Utbildade"]) == expected["staff_trained"]
        assert int(exported[code]["Tillfällen"]) == expected["sessions_held"]
        assert int(exported[code]["Certifierade agenter"]) == expected["agents_certified"]
        assert xlsx[code]["Utbildade"] == expected["staff_trained"]
        months = queries.by_month(place)
        assert (
            sum(m_["trained_online"] + m_["trained_via_session"] for m_ in months)
            == (expected["staff_trained"])
        ), "the month trend sums to the headline"
        assert sum(m_["sessions"] for m_ in months) == expected["sessions_held"]
        detail = admin_client.get(f"/api/v1/municipalities/{code}/coverage").json
        assert (
            sum(m_["trained_online"] + m_["trained_via_session"] for m_ in detail["by_month"])
            == (expected["staff_trained"])
        )
        reach = {a.email: (a.sessions_held, a.staff_trained) for a in queries.agents_of(place)}
        assert reach == reference.reach(m), code
        assert {a["email"]: (a["sessions_held"], a["staff_trained"]) for a in detail["agents"]} == (
            reach
        )
        assert sum(trained for _, trained in reach.values()) == expected["trained_via_session"]
        people = list(
            csv.DictReader(
                io.StringIO(
                    download(admin_client, f"/reports/{code}/people.csv").data.decode("utf-8-sig")
                ),
                delimiter=";",
            )
        )
        assert sum(1 for p in people if p["Utbildad"] == "ja") == expected["staff_trained"]
    trained_people = {
        f"mailto:person{n}@example.se"
        for n, person in enumerate(reference.people)
        if reference.trained(person)
    }
    active_completed = {
        mbox
        for mbox in xapi_completed
        if any(
            mbox == f"mailto:person{n}@example.se" and p.active
            for n, p in enumerate(reference.people)
        )
    }
    assert active_completed == trained_people, "xAPI reports the completions that count"
