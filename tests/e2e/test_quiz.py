"""A learner fails the quiz, retries, passes and sees the module complete, all in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from app.auth.models import Role
from app.courses.models import Course, Lesson, Module
from app.extensions import db
from app.quizzes.models import Option, Question, QuizAttempt
from tests.conftest import PASSWORD
from tests.e2e.test_reading import assert_accessible

pytestmark = pytest.mark.e2e


def answer(page: Page, attempt_id: int, right: bool) -> None:
    """Click through the attempt's form the way a learner would, all right or all wrong."""
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    for question_id, option_ids in attempt.questions:
        question = db.session.get(Question, question_id)
        if question.type == "text":
            text = question.answer["accept"][0] if right else "vet inte"
            page.locator(f"#q-{question_id}").fill(text)
            continue
        options = db.session.scalars(db.select(Option).where(Option.id.in_(option_ids))).all()
        chosen = [o for o in options if o.correct == right]
        if question.type != "multiple":
            chosen = chosen[:1]
        for option in chosen:
            page.locator(f'label[for="q-{question_id}-{option.id}"]').click()


def test_fail_retry_pass_and_module_complete(page: Page, live_server, create_user):
    learner = create_user(role=Role.EMPLOYEE, email="medarbetare.e2e@falun.se")
    lessons = db.session.scalars(
        db.select(Lesson).join(Module).join(Course).where(Course.slug == "end-user")
    ).all()

    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(learner.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
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
    assert_accessible(page)

    page.get_by_role("link", name="Försök igen").click()
    page.get_by_role("button", name="Försök igen").click()
    answer(page, int(page.url.rsplit("/", 1)[1]), right=True)
    page.get_by_role("button", name="Lämna in").click()
    expect(page.get_by_text("Godkänt", exact=True)).to_be_visible()
    expect(page.get_by_text("100 % rätt (10 av 10 frågor)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Tillbaka till kursen").click()
    expect(page.get_by_text("Du har slutfört kursen.")).to_be_visible()
    module = page.get_by_role("heading", level=2, name="Resfria möten i vardagen")
    expect(module).to_contain_text("Klar")
    assert_accessible(page)


def test_unanswered_question_is_reported_accessibly(page: Page, live_server, create_user):
    learner = create_user(role=Role.EMPLOYEE, email="medarbetare.e2e2@falun.se")
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(learner.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{live_server}/courses/end-user/grunder/quiz")
    page.get_by_role("button", name="Starta kunskapstestet").click()
    page.get_by_role("button", name="Lämna in").click()
    expect(page.get_by_role("alert")).to_contain_text("Fråga 1 saknar svar")
    assert_accessible(page)
