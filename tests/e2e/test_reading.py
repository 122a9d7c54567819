"""A learner logs in and reads a lesson in Chromium; axe-core finds no WCAG 2.1 AA violations."""

import pytest
from playwright.sync_api import Page, expect

from tests.support import PASSWORD
from tests.support.browser import assert_accessible

pytestmark = pytest.mark.e2e


def test_login_and_read_a_lesson(page: Page, live_server, learner):
    page.goto(f"{live_server}/courses/agent")
    expect(page).to_have_url(f"{live_server}/login?next=%2Fcourses%2Fagent")
    assert_accessible(page)

    page.get_by_label("E-postadress").fill(learner.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mötesagentutbildning")
    assert_accessible(page)

    page.get_by_role("link", name="Börja med: Videorummet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Videorummet")
    expect(page.get_by_text("Lektion 1 av 10")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nästa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jabber och video från datorn")

    page.get_by_role("link", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hej Åsa Öberg!")
    expect(page.get_by_text("2 av 10 lektioner lästa")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_shows_an_accessible_error(page: Page, live_server, learner):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(learner.email)
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Fel e-postadress eller lösenord.")
    expect(page.get_by_label("Lösenord")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_keyboard_user_can_skip_to_content(page: Page, live_server):
    page.goto(f"{live_server}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert_accessible(page)
