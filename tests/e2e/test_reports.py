"""Coverage dashboards, the roster import and the profile page in Chromium; axe-clean."""

import pytest
from playwright.sync_api import Page, expect

from app.core.roles import Role
from tests.support.browser import assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_coordinator_pages_are_accessible(page: Page, live_server, create_user, tmp_path):
    coordinator = create_user(role=Role.COORDINATOR, email="koord.rep@falun.se")
    log_in(page, live_server, coordinator.email)
    page.get_by_role("link", name="Täckning", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Täckning i Falun")
    assert_accessible(page)
    page.goto(f"{live_server}/municipalities/2080")
    assert_accessible(page)
    page.get_by_role("link", name="Läs in personallista (CSV)").click()
    roster = tmp_path / "lista.csv"
    roster.write_text(
        "email;name;role\nny.person@falun.se;Ny Person;employee\nfel;X;employee\n", encoding="utf-8"
    )
    page.get_by_label("Personallista (CSV)").set_input_files(str(roster))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(
        page.get_by_text(
            "1 ny person, 0 ändrade personer, 0 oförändrade personer och 1 avvisad rad."
        )
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Spara personallistan").click()
    expect(page.get_by_role("cell", name="ny.person@falun.se")).to_be_visible()
    page.goto(f"{live_server}/account/")
    page.get_by_label("Vad ska token användas till?").fill("Kommunens LRS")
    page.get_by_role("button", name="Skapa token").click()
    expect(page.locator("code.token")).to_contain_text("vmr_")
    assert_accessible(page)


def test_admin_overview_is_accessible(page: Page, live_server, create_user):
    admin = create_user(role=Role.ADMIN, email="po.rep@region.se")
    log_in(page, live_server, admin.email)
    page.goto(f"{live_server}/reports/?sort=coverage")
    expect(page.get_by_role("heading", level=1)).to_have_text("Täckning i Dalarna")
    assert_accessible(page)
