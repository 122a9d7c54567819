"""Browser tests' helpers: Chromium's settings, logging in, axe-core, answering a quiz."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from app.core.time import STOCKHOLM
from app.courses.content import Option, Question
from app.extensions import db
from app.quizzes.models import QuizAttempt
from tests.support import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page: Page) -> None:
    """Run axe-core with the WCAG 2.1 A/AA rules; fail with its report on any violation."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def log_in(page: Page, live_server: str, email: str) -> None:
    """Log in through the form."""
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


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


def local(delta: timedelta) -> str:
    """Now plus delta in Stockholm, as a datetime-local field takes it."""
    return (datetime.now(UTC) + delta).astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")
