"""The next step in Chromium: a colleague added by their agent who attended reaches the quiz
in one click; a certified agent is led to their own sessions, not to a quiz they passed."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.core.roles import Role
from app.extensions import db
from app.training.models import Attendance, AttendanceStatus
from app.training.services import create_session, mark_attendance, register
from tests.support.browser import assert_accessible, log_in
from tests.support.progress import certify_by_the_course
from tests.support.training import certify_agent, details, move

pytestmark = pytest.mark.e2e


def test_an_added_colleague_who_attended_reaches_the_quiz_in_one_click(
    page: Page, live_server, create_user
):
    agent = create_user(role=Role.AGENT, name="Łukasz Ärlig")
    certify_agent(agent)
    colleague = create_user(email="bjorn.e2e@falun.se", name="Björn Ängström")
    training_session = create_session(agent, details(title="Resfria möten på Falu lasarett"))
    register(colleague, training_session, added_by=agent)  # the agent put them on the list
    move(training_session, -timedelta(hours=2))
    mark_attendance(agent, training_session, {colleague.id: AttendanceStatus.ATTENDED})

    log_in(page, live_server, colleague.email)
    next_step = page.locator(".next-step")
    expect(next_step).to_contain_text("Du deltog i Resfria möten på Falu lasarett")
    assert_accessible(page)
    next_step.get_by_role("link", name="Gör kunskapstestet").click()
    expect(page.get_by_role("button", name="Starta kunskapstestet")).to_be_visible()
    # The course page and the session page say the same.
    page.goto(f"{live_server}/courses/end-user")
    expect(page.locator(".next-step")).to_contain_text("Du deltog i")
    page.goto(f"{live_server}/sessions/{training_session.id}")
    expect(page.locator(".next-step")).to_contain_text("Gör kunskapstestet för att få ditt intyg")
    assert_accessible(page)


def test_a_certified_agent_is_led_to_their_sessions_and_their_certificate(
    page: Page, live_server, create_user
):
    agent = create_user(role=Role.AGENT, email="agent.e2e@falun.se", name="Åsa Öberg")
    certify_by_the_course(agent, create_user)
    meeting = db.session.scalar(db.select(Attendance.session_id).filter_by(user_id=agent.id))

    log_in(page, live_server, agent.email)
    next_step = page.locator(".next-step")
    expect(next_step).to_contain_text("Du är certifierad mötesagent")
    expect(next_step.get_by_role("link", name="Nytt utbildningstillfälle")).to_be_visible()
    expect(page.get_by_role("link", name="Ditt intyg som mötesagent")).to_be_visible()
    expect(page.get_by_text("Fortsätt med")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Utbildningstillfällen", exact=True).click()
    page.get_by_role("link", name="Mina tillfällen och min räckvidd").first.click()
    page.goto(f"{live_server}/sessions/{meeting}")  # the follow-up meeting that certified them
    expect(page.get_by_text("gör kunskapstestet i slutanvändarutbildningen")).to_have_count(0)
    expect(page.locator(".next-step")).to_contain_text("Du är certifierad mötesagent")
    page.goto(f"{live_server}/courses/agent")
    expect(page.get_by_text("gör kunskapstestet i slutanvändarutbildningen")).to_have_count(0)
    expect(page.locator(".next-step")).to_contain_text("Du är certifierad mötesagent")
    page.get_by_role("link", name="Nytt utbildningstillfälle").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("tillfälle")
