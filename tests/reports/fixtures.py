"""Reports fixtures: Falun with a known story of agents, a session and trained staff."""

from datetime import timedelta

import pytest

from app.core.roles import Role
from app.courses.models import Course
from app.extensions import db
from app.training.models import AttendanceStatus
from app.training.services import create_session, mark_attendance, register
from tests.support.courses import complete
from tests.support.training import certify_agent, details, move


@pytest.fixture
def courses(app):
    agent = Course(slug="agent", title="Mötesagentutbildning", audience="agent", certificate=True)
    employee = Course(slug="end-user", title="Slutanvändarutbildning", audience="employee")
    db.session.add_all([agent, employee])
    db.session.commit()
    return {"agent": agent, "employee": employee}


@pytest.fixture
def falun_story(courses, create_user, municipalities):
    """Falun: target 10 staff, 2 agents (1 certified); 3 trained (2 at a session), 1 inactive."""
    falun = municipalities["2080"]
    falun.staff_target, falun.agent_target = 10, 2
    db.session.commit()
    agent = create_user(role=Role.AGENT)
    create_user(role=Role.AGENT)
    certify_agent(agent)
    session = create_session(agent, details())
    staff = [create_user() for _ in range(5)]
    for person in staff[:3]:
        register(person, session)
    move(session, -timedelta(hours=2), 60)
    mark_attendance(agent, session, {p.id: AttendanceStatus.ATTENDED for p in staff[:2]})
    for person in staff[:2]:
        complete(person, courses["employee"], "session", session)
    complete(staff[3], courses["employee"])
    leaver = create_user(active=False)
    complete(leaver, courses["employee"])
    complete(create_user(municipality_code="2062"), courses["employee"])
    return {"agent": agent, "staff": staff, "session": session}
