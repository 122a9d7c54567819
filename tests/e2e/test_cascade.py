"""One full cascade in Chromium: a certified agent holds a session, an employee registers,
checks in with the code, passes the quiz and downloads a certificate naming the agent."""

import io
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from app.core.roles import Role
from tests.support.browser import answer, assert_accessible, local, log_in
from tests.support.training import certify_agent

pytestmark = pytest.mark.e2e


def test_full_cascade(page: Page, live_server, create_user):
    agent = create_user(role=Role.AGENT, email="agent.e2e@falun.se", name="Łukasz Ärlig")
    certify_agent(agent)
    employee = create_user(role=Role.EMPLOYEE, email="asa.e2e@falun.se", name="Åsa Öberg")

    log_in(page, live_server, agent.email)
    page.get_by_role("link", name="Utbildningstillfällen", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Nytt utbildningstillfälle").click()
    page.get_by_label("Rubrik").fill("Resfria möten i vardagen")
    page.get_by_label("Börjar").fill(local(timedelta(minutes=10)))
    page.get_by_label("Slutar").fill(local(timedelta(minutes=100)))
    page.get_by_label("Form").select_option("video")
    page.get_by_label("Plats eller möteslänk").fill("Videorummet, Stadshuset")
    page.get_by_label("Antal platser").fill("12")
    assert_accessible(page)
    page.get_by_role("button", name="Skapa tillfället").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resfria möten i vardagen")
    code = page.locator(".check-in-code").inner_text().strip()
    assert len(code) == 6
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, live_server, employee.email)
    page.get_by_role("link", name="Utbildningstillfällen", exact=True).click()
    page.get_by_role("link", name="Resfria möten i vardagen").click()
    page.get_by_role("button", name="Anmäl mig").click()
    expect(page.get_by_text("Du är anmäld.")).to_be_visible()
    expect(page.get_by_role("link", name="Lägg till i kalendern (.ics)")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server}/checkin")
    page.get_by_label("Incheckningskod").fill(code.lower())
    assert_accessible(page)
    page.get_by_role("button", name="Checka in").click()
    expect(page.get_by_text("Du är incheckad")).to_be_visible()
    expect(page.get_by_text("Närvarande", exact=True)).to_be_visible()

    page.goto(f"{live_server}/courses/end-user/grunder/quiz")
    page.get_by_role("button", name="Starta kunskapstestet").click()
    answer(page, int(page.url.rsplit("/", 1)[1]), right=True)
    page.get_by_role("button", name="Lämna in").click()
    expect(page.get_by_text("Godkänt", exact=True)).to_be_visible()

    page.get_by_role("link", name="Mina intyg").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner intyget (PDF)").click()
    text = PdfReader(io.BytesIO(download.value.path().read_bytes())).pages[0].extract_text()
    assert "Åsa Öberg" in text and "Utbildare: Łukasz Ärlig" in text
