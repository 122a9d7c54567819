"""The result page: when the right answers show, how to try again, and what a pass completed."""

import re

import pytest

from app.certificates.models import Certificate
from app.core.time import utcnow
from app.courses.content import Quiz, RevealAnswers
from app.courses.loader import load_courses
from app.courses.models import Course
from app.courses.services import sync_courses
from app.extensions import db
from tests.support.courses import QUIZ_YML, write_course
from tests.support.queries import QueryCounter
from tests.support.quizzes import (
    QUIZ_URL,
    answer_form,
    read_all_lessons,
    start,
    text_of,
    write_quiz_course,
)

BAD_REVEAL = QUIZ_YML.replace("draw: 2\n", "draw: 2\nreveal_answers: never\n")  # line 5


def sync(tmp_path, **settings) -> Course:
    """Sync the quiz course with these quiz.yml settings."""
    sync_courses(write_quiz_course(tmp_path / "courses", **settings))
    return db.session.scalar(db.select(Course).filter_by(slug="prov"))


def submit(client, right: bool):
    """Start an attempt and answer all right or all wrong; the result page."""
    attempt = start(client)
    client.post(f"/attempts/{attempt.id}", data=answer_form(attempt, right=right))
    return client.get(f"/attempts/{attempt.id}/result")


def actions_of(html: str) -> str:
    """The result's row of actions."""
    return re.search(r'<div class="actions">(.*?)</div>', html, re.S).group(1)


def summary_of(html: str) -> str:
    """The passed result's summary section, whitespace collapsed."""
    section = re.search(r'<section class="result-summary">(.*?)</section>', html, re.S)
    return " ".join(section.group(1).split())


@pytest.fixture
def logged_in(client, auth, learner):
    auth.login_as(learner)
    return client


def test_failed_result_leads_with_try_again_and_hides_the_right_answers(logged_in, quiz):
    response = submit(logged_in, right=False)
    html, text = response.get_data(as_text=True), text_of(response)
    actions = actions_of(html)
    assert f'action="{QUIZ_URL}"' in actions, "the button starts the next attempt at once"
    assert re.search(r'<button type="submit" class="button">\s*Försök igen', actions)
    assert actions.index("Försök igen") < actions.index("Tillbaka till kursen")
    assert 'class="button button-secondary"' in actions
    assert "Du har 1 försök kvar." in text
    assert "Rätt svar:" not in text and "Rätt – börja med det enkla." not in text
    assert "Rätt svar visas när du har klarat testet eller har använt alla försök." in text
    assert text.count("Fel") == 4 and "En avstängd mikrofon är den vanligaste orsaken." in text


def test_an_open_attempt_keeps_the_earlier_results_hidden(logged_in, quiz):
    first = start(logged_in)
    logged_in.post(f"/attempts/{first.id}", data=answer_form(first, right=False))
    start(logged_in)  # the last attempt allowed, still open
    response = logged_in.get(f"/attempts/{first.id}/result")
    text = text_of(response)
    assert "Rätt svar:" not in text
    assert "Du har ett påbörjat försök." in text and "Du har använt alla" not in text
    assert "Fortsätt försöket" in actions_of(response.get_data(as_text=True))


def test_reveal_answers_always_shows_them_at_once(app, tmp_path, logged_in):
    sync(tmp_path, reveal_answers="always")
    assert db.session.scalar(db.select(Quiz.reveal_answers)) == RevealAnswers.ALWAYS
    assert "rätt svar med förklaringar direkt" in text_of(logged_in.get(QUIZ_URL))
    text = text_of(submit(logged_in, right=False))
    assert "Du har 1 försök kvar." in text
    assert "Rätt svar: Kontrollerar att mikrofonen är på" in text
    assert "Rätt svar visas" not in text


def test_reveal_answers_defaults_to_after_pass_when_removed(app, tmp_path):
    sync(tmp_path, reveal_answers="always")
    sync(tmp_path)
    db.session.expire_all()
    assert db.session.scalar(db.select(Quiz.reveal_answers)) == RevealAnswers.AFTER_PASS


def test_unlimited_attempts_say_so_and_keep_the_answers_for_a_pass(app, tmp_path, logged_in):
    sync(tmp_path, max_attempts=None)
    assert "rätt svar när du har klarat testet. Du kan" in text_of(logged_in.get(QUIZ_URL))
    response = submit(logged_in, right=False)
    text = text_of(response)
    assert "Du har obegränsat antal försök." in text
    assert "Rätt svar:" not in text and "Rätt svar visas när du har klarat testet." in text
    assert "Försök igen" in actions_of(response.get_data(as_text=True))


def test_passed_result_names_the_module_and_claims_no_more(logged_in, quiz):
    response = submit(logged_in, right=True)
    summary = summary_of(response.get_data(as_text=True))
    assert summary == "<p>Du har klarat kunskapstestet för Grunderna.</p>", "lessons are unread"
    assert "Försök igen" not in text_of(response)


def test_passed_result_that_completes_the_course_links_the_certificate(
    logged_in, learner, quiz_course
):
    read_all_lessons(learner, quiz_course)
    response = submit(logged_in, right=True)
    summary = summary_of(response.get_data(as_text=True))
    assert "Du har klarat kunskapstestet för Grunderna." in summary
    assert "<p>Delen är klar.</p>" in summary
    assert "Du har slutfört Provkurs." in summary
    assert '<a href="/certificates/mine">Visa ditt intyg</a>' in summary


def test_no_certificate_link_once_it_is_revoked(logged_in, learner, quiz_course):
    read_all_lessons(learner, quiz_course)
    attempt = start(logged_in)
    logged_in.post(f"/attempts/{attempt.id}", data=answer_form(attempt))
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=learner.id))
    certificate.revoked_at = utcnow()
    db.session.commit()
    html = logged_in.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    summary = summary_of(html)
    assert "Du har slutfört Provkurs." in summary and "Visa ditt intyg" not in summary


def test_result_page_runs_a_fixed_number_of_queries(app, tmp_path, client, auth, create_user):
    def result_queries(draw: str) -> int:
        course = sync(tmp_path, draw=draw)
        learner = create_user()
        read_all_lessons(learner, course)
        auth.login_as(learner)
        attempt = start(client)
        client.post(f"/attempts/{attempt.id}", data=answer_form(attempt))
        with QueryCounter(db.engine) as counter:
            assert client.get(f"/attempts/{attempt.id}/result").status_code == 200
        auth.logout()
        return counter.count

    two_questions, four_questions = result_queries("draw: 2"), result_queries("")
    assert two_questions == four_questions <= 14


def test_a_bad_reveal_answers_is_a_loader_error_with_its_line(tmp_path):
    root = write_course(tmp_path, {"prov/1-grund/quiz.yml": BAD_REVEAL})
    _, errors = load_courses(root)
    assert [str(e) for e in errors] == [
        f"{root / 'prov/1-grund/quiz.yml'}:5: 'reveal_answers' must be one of after_pass, "
        "always, not 'never'"
    ]


@pytest.mark.parametrize(("value", "expected"), [(None, "after_pass"), ("always", "always")])
def test_reveal_answers_is_read(tmp_path, value, expected):
    text = QUIZ_YML if value is None else f"reveal_answers: {value}\n{QUIZ_YML}"
    courses, errors = load_courses(write_course(tmp_path, {"prov/1-grund/quiz.yml": text}))
    assert errors == []
    assert courses[0].modules[0].quiz.reveal_answers == expected


def test_courses_check_reports_a_bad_reveal_answers(runner, tmp_path):
    root = write_course(tmp_path, {"prov/1-grund/quiz.yml": BAD_REVEAL})
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 1
    assert f"{root / 'prov/1-grund/quiz.yml'}:5: 'reveal_answers' must be one of" in result.output
