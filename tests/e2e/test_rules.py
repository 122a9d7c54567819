"""The cascade's rules in Chromium: a session recorded afterwards, then certification revoked."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.core.roles import Role
from tests.support.browser import assert_accessible, local, log_in
from tests.support.training import certify_agent

pytestmark = pytest.mark.e2e


def test_record_afterwards_then_lose_certification(page: Page, live_server, create_user):
    agent = create_user(role=Role.AGENT, email="agent.regler@falun.se", name="Łukasz Ärlig")
    certify_agent(agent)
    colleague = create_user(email="bjorn.regler@falun.se", name="Björn Ängström")
    coordinator = create_user(role=Role.COORDINATOR, email="koord.regler@falun.se")

    log_in(page, live_server, agent.email)
    page.goto(f"{live_server}/sessions/new")
    page.get_by_label("Rubrik").fill("Arbetsplatsträff: resfria möten")
    page.get_by_label("Börjar").fill(local(-timedelta(days=2, hours=2)))
    page.get_by_label("Slutar").fill(local(-timedelta(days=2, hours=1)))
    page.get_by_label("Plats eller möteslänk").fill("Personalrummet, Stadshuset")
    page.get_by_role("button", name="Skapa tillfället").click()
    expect(page.get_by_text("registrerat i efterhand", exact=False).first).to_be_visible()
    expect(page.get_by_text("Närvaron kan registreras till och med")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Sök på namn, e-post eller enhet").fill("bjorn.regler")
    page.get_by_role("button", name="Sök").click()
    page.get_by_label("Björn Ängström").check()
    page.get_by_role("button", name="Lägg till markerade").click()
    expect(page.get_by_text("Björn Ängström: tillagd och markerad som närvarande")).to_be_visible()
    session_url = page.url.split("#")[0]
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server}/certificates/")
    page.get_by_role("link", name=f"Återkalla {agent.name}").click()
    expect(page.get_by_text("inte längre certifierad")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Skäl").fill("Har slutat som mötesagent")
    page.get_by_role("button", name="Återkalla intyget").click()
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, live_server, agent.email)
    page.goto(session_url)
    expect(page.get_by_text("kan bara läsas")).to_be_visible()
    expect(page.get_by_text(colleague.name)).to_be_visible()
    expect(page.get_by_role("link", name="Ändra")).to_have_count(0)
    expect(page.get_by_role("button", name="Sök")).to_have_count(0)
    assert_accessible(page)
