"""A department onto the platform in Chromium: a coordinator imports two people and sends
activation links; one opens the link from the mail, chooses a password and is in; axe-clean."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.core.roles import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.support.browser import assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_import_activate_and_start_learning(page: Page, live_server, create_user, tmp_path):
    coordinator = create_user(role=Role.COORDINATOR, email="koord.aktiv@falun.se")
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server}/municipalities/2080/roster")
    roster = tmp_path / "avdelning.csv"
    roster.write_text(
        "email;name;role\nbjorn.angstrom@falun.se;Björn Ängström;employee\n"
        "asa.lind@falun.se;Åsa Lind;employee\n",
        encoding="utf-8",
    )
    page.get_by_label("Personallista (CSV)").set_input_files(str(roster))
    page.get_by_role("button", name="Förhandsgranska").click()
    page.get_by_role("button", name="Spara personallistan").click()
    expect(page.get_by_text("2 personer har inte valt lösenord ännu.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka aktiveringslänkar (2)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktiveringslänkar per e-post")
    expect(page.get_by_role("status")).to_have_text(
        "Klart: aktiveringslänkar skickas till 2 personer."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut").click()

    db.session.expire_all()
    mail = db.session.scalar(
        db.select(OutboxMessage).filter_by(recipient="bjorn.angstrom@falun.se")
    )
    assert mail.subject == "Aktivera ditt konto i Vi möts resfritt"
    link = re.search(r"https?://\S+", mail.body_text).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera ditt konto")
    assert_accessible(page)
    page.get_by_label("Nytt lösenord").fill("kort")
    page.get_by_label("Samma lösenord igen").fill("kort")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_text("Lösenordet behöver minst 12 tecken.").first).to_be_visible()
    page.get_by_label("Nytt lösenord").fill("videomöte varje tisdag")
    page.get_by_label("Samma lösenord igen").fill("videomöte varje tisdag")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_text("Ditt lösenord är sparat. Välkommen, Björn Ängström!")).to_be_visible()
    expect(page.get_by_text("Slutanvändarutbildning").first).to_be_visible()
    assert_accessible(page)
