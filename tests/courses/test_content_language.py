"""Course content is Swedish: in the English UI it carries lang="sv" (WCAG 3.1.2), the interface
around it stays English, and the Swedish UI needs no mark beyond <html lang="sv">."""

from html.parser import HTMLParser

import pytest

from app.core.roles import Role
from app.extensions import db
from app.quizzes.models import QuizAttempt
from tests.support.quizzes import answer_form
from tests.support.training import certify_agent

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class LanguageOf(HTMLParser):
    """Records the language in force (the nearest lang attribute) of each text in <main>."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = [("", "")]
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang") or self.stack[-1][1]))

    def handle_endtag(self, tag):
        if tag not in VOID and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip() and any(tag == "main" for tag, _ in self.stack):
            self.texts.append((" ".join(data.split()), self.stack[-1][1]))


def language_of(html: str, text: str) -> str:
    """The language of the first piece of text in <main> that contains `text`."""
    parser = LanguageOf()
    parser.feed(html)
    return next(language for piece, language in parser.texts if text in piece)


@pytest.fixture
def reader(client, auth, create_user):
    """Log in an agent who reads in `language`; return a function that fetches a page."""

    def log_in(language: str, certified: bool = False):
        agent = create_user(role=Role.AGENT, email=f"agent.{language}@falun.se")
        agent.locale = language
        db.session.commit()
        if certified:
            certify_agent(agent)
        auth.login_as(agent)
        return lambda path: client.get(path).get_data(as_text=True)

    return log_in


# Each page: Swedish content, and an interface string beside it (as the English UI says it).
COURSE_PAGES = [
    ("/courses/", ["Mötesagentutbildning"], "Courses"),
    ("/courses/agent", ["Mötesagentutbildning", "Del 1: Färdigheter", "Jabber och video från datorn"], "Your next step"),
    ("/courses/agent/skills/videorummet", ["Videorummet", "Mikrofon och eko", "Problem"], "Lesson 1 of 10"),
    ("/courses/agent/skills/quiz", ["Kunskapstest del 1", "Del 1: Färdigheter"], "Pass mark"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "content", "interface"), COURSE_PAGES)
def test_course_content_is_marked_swedish_in_the_english_ui(
    reader, synced_courses, path, content, interface
):
    html = reader("en")(path)
    assert language_of(html, interface) == "en"
    for text in content:
        assert language_of(html, text) == "sv", text


@pytest.mark.parametrize(("path", "content", "interface"), COURSE_PAGES)
def test_the_swedish_ui_marks_only_the_page(reader, synced_courses, path, content, interface):
    html = reader("sv")(path)
    assert html.count('lang="sv"') == 1 and '<html lang="sv">' in html


def test_quiz_questions_options_and_feedback_are_marked_swedish(reader, quiz, client):
    page = reader("en")
    response = client.post("/courses/prov/grund/quiz")
    attempt_url = response.location
    html = page(attempt_url)
    assert language_of(html, "Question 1 of 4") == "en"
    for text in ("Vad gör du först när deltagarna inte hör dig?", "Kontrollerar att mikrofonen"):
        assert language_of(html, text) == "sv", text

    attempt = db.session.get(QuizAttempt, int(attempt_url.rsplit("/", 1)[1]))
    result_url = client.post(attempt_url, data=answer_form(attempt)).location
    html = page(result_url)
    assert language_of(html, "Your answer:") == "en"
    for text in ("Vad gör du först", "Kontrollerar att mikrofonen", "Rätt – börja med det enkla.",
                 "En avstängd mikrofon är den vanligaste orsaken.", "Grunderna"):  # fmt: skip
        assert language_of(html, text) == "sv", text


def test_the_kit_is_marked_swedish_in_the_english_ui(reader):
    html = reader("en", certified=True)("/kit/")
    assert language_of(html, "Cascade-training kit for meeting agents") == "en"
    assert language_of(html, "Lektionsplan för slutanvändarutbildningen") == "sv"
    assert language_of(html, "Vanliga frågor") == "sv"
