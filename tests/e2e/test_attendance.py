"""Quick attendance in Chromium: an agent adds five colleagues in one action, marks them all
attended, and adds a walk-in from a pasted list; each time the page returns to its section."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.core.roles import Role
from app.extensions import db
from app.training.models import Attendance, AttendanceStatus
from app.training.services import create_session
from tests.support.browser import assert_accessible, log_in
from tests.support.training import certify_agent, details, move

pytestmark = pytest.mark.e2e


def test_five_colleagues_in_one_action_then_all_attended(page: Page, live_server, create_user):
    agent = create_user(role=Role.AGENT, email="agent.snabb@falun.se", name="Łukasz Ärlig")
    certify_agent(agent)
    training_session = create_session(agent, details(capacity=12))
    team = [
        create_user(email=f"kollega{n}.snabb@falun.se", name=name)
        for n, name in enumerate(["Åsa Öberg", "Bo Ek", "Karin Lund", "Örjan Ål", "Anna Berg"])
    ]
    for person in team:
        person.unit = "Hemtjänst Norr"
    walk_in = create_user(email="sen.snabb@falun.se", name="Sen Ankomst")
    db.session.commit()
    url = f"{live_server}/sessions/{training_session.id}"

    log_in(page, live_server, agent.email)
    page.goto(url)
    page.get_by_label("Sök på namn, e-post eller enhet").fill("hemtjänst norr")
    page.get_by_role("button", name="Sök").click()
    expect(page).to_have_url(f"{url}?q=hemtj%C3%A4nst+norr#add-people")
    for person in team:
        page.get_by_label(f"{person.name} ({person.email}").check()
    assert_accessible(page)
    page.get_by_role("button", name="Lägg till markerade").click()
    expect(page).to_have_url(f"{url}#add-people")
    expect(page.locator("#add-people")).to_be_focused()
    expect(
        page.get_by_text("5 kollegor är anmälda och får en bekräftelse med e-post.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Deltagare (5)")).to_be_visible()
    assert_accessible(page)

    move(training_session, -timedelta(minutes=15))
    page.goto(url)
    page.get_by_role("button", name="Alla var närvarande").click()
    expect(page).to_have_url(f"{url}#attendance")
    expect(page.locator("#attendance")).to_be_focused()
    expect(page.get_by_text("Närvaron är sparad (5 ändringar).")).to_be_visible()
    expect(page.get_by_role("radio", name="Närvarande", checked=True)).to_have_count(5)
    expect(page.locator(".attendance .meta", has_text=f"av {agent.name}")).to_have_count(5)

    page.get_by_label("Klistra in namn eller e-postadresser, en per rad").fill(
        f"{walk_in.name.upper()}\nNågon Okänd\n"
    )
    page.get_by_role("button", name="Lägg till från listan").click()
    expect(page).to_have_url(f"{url}#add-people")
    expect(page.locator("#add-people")).to_be_focused()
    expect(
        page.get_by_role("status").get_by_text("1 person är markerad som närvarande.")
    ).to_be_visible()
    expect(page.get_by_role("alert").get_by_text("”Någon Okänd”: hittades inte")).to_be_visible()
    expect(page.get_by_label("Klistra in namn eller e-postadresser, en per rad")).to_have_value(
        "Någon Okänd"
    )
    assert_accessible(page)

    db.session.expire_all()
    statuses = db.session.scalars(
        db.select(Attendance.status).filter_by(session_id=training_session.id)
    ).all()
    assert statuses == [AttendanceStatus.ATTENDED] * 6
