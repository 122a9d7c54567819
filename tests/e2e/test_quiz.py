"""A learner fails the quiz, retries, passes and sees the course complete, all in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from app.core.roles import Role
from app.courses.models import Course, Lesson, Module
from app.extensions import db
from tests.support.browser import answer, assert_accessible, log_in

pytestmark = pytest.mark.e2e


def expect_try_again_first(page: Page) -> None:
    """The failed result's first action is the "Försök igen" button; no right answer shows."""
    first_action = page.locator(".actions").locator("a, button").first
    expect(first_action).to_have_text("Försök igen")
    expect(first_action).to_have_class("button")
    expect(page.get_by_text("Rätt svar:")).to_have_count(0)


def test_fail_retry_pass_and_course_complete(page: Page, live_server, create_user):
    learner = create_user(role=Role.EMPLOYEE, email="medarbetare.e2e@falun.se")
    lessons = db.session.scalars(
        db.select(Lesson).join(Module).join(Course).where(Course.slug == "end-user")
    ).all()

    log_in(page, live_server, learner.email)
    for lesson in lessons:
        page.goto(f"{live_server}/courses/end-user/grunder/{lesson.slug}")

    page.goto(f"{live_server}/courses/end-user")
    page.get_by_role("link", name="Gör kunskapstestet: Resfria möten i vardagen").click()
    expect(page.get_by_text("Gräns för godkänt")).to_be_visible()
    page.get_by_role("button", name="Starta kunskapstestet").click()
    expect(page.locator("fieldset")).to_have_count(10)
    assert_accessible(page)

    answer(page, int(page.url.rsplit("/", 1)[1]), right=False)
    page.get_by_role("button", name="Lämna in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resultat")
    expect(page.get_by_text("Inte godkänt", exact=True)).to_be_visible()
    expect(page.get_by_text("Du har obegränsat antal försök.")).to_be_visible()
    expect_try_again_first(page)
    assert_accessible(page)

    page.get_by_role("button", name="Försök igen").click()
    answer(page, int(page.url.rsplit("/", 1)[1]), right=True)
    page.get_by_role("button", name="Lämna in").click()
    expect(page.get_by_text("Godkänt", exact=True)).to_be_visible()
    expect(page.get_by_text("100\u00a0% rätt (10 av 10 frågor)")).to_be_visible()
    summary = page.locator("section.result-summary")
    expect(summary).to_contain_text("Du har klarat kunskapstestet för Resfria möten i vardagen.")
    expect(summary).not_to_contain_text("Delen är klar.")
    assert_accessible(page)

    # What is left is the practice: test your own equipment, ticked with a line each.
    page.get_by_role("link", name="Gör övningarna: Resfria möten i vardagen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Testa din utrustning")
    assert_accessible(page)
    boxes = page.get_by_role("checkbox", name="Jag har gjort det här")
    boxes.first.check()
    page.get_by_role("button", name="Spara övningarna").click()
    expect(page.locator(".error-summary")).to_contain_text("Skriv en rad om hur det gick.")
    assert_accessible(page)
    for number in range(boxes.count()):
        boxes.nth(number).check()
        page.get_by_label("Hur gick det? (en rad)").nth(number).fill("Det fungerade direkt.")
    page.get_by_role("button", name="Spara övningarna").click()
    expect(page.get_by_text("Dina övningar är sparade.")).to_be_visible()

    page.get_by_role("link", name="Tillbaka till kursen").click()
    expect(page.get_by_text("Du har slutfört kursen.")).to_be_visible()
    module = page.get_by_role("heading", level=2, name="Resfria möten i vardagen")
    expect(module).to_contain_text("Klar")
    page.goto(f"{live_server}/certificates/mine")
    expect(page.get_by_text("Slutanvändarutbildning").first).to_be_visible()
    assert_accessible(page)


def test_failed_result_with_attempts_left_hides_the_right_answers(page: Page, live_server, learner):
    log_in(page, live_server, learner.email)
    page.goto(f"{live_server}/courses/agent/skills/quiz")
    expect(page.get_by_text("3 kvar av 3")).to_be_visible()
    page.get_by_role("button", name="Starta kunskapstestet").click()
    answer(page, int(page.url.rsplit("/", 1)[1]), right=False)
    page.get_by_role("button", name="Lämna in").click()
    expect(page.get_by_text("Inte godkänt", exact=True)).to_be_visible()
    expect(page.get_by_text("Du har 2 försök kvar.")).to_be_visible()
    expect_try_again_first(page)
    assert_accessible(page)


def test_unanswered_question_is_reported_accessibly(page: Page, live_server, create_user):
    learner = create_user(role=Role.EMPLOYEE, email="medarbetare.e2e2@falun.se")
    log_in(page, live_server, learner.email)
    page.goto(f"{live_server}/courses/end-user/grunder/quiz")
    page.get_by_role("button", name="Starta kunskapstestet").click()
    page.get_by_role("button", name="Lämna in").click()
    expect(page.get_by_role("alert")).to_contain_text("Fråga 1 saknar svar")
    assert_accessible(page)
