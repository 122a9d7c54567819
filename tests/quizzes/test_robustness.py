"""Odd input never gives a 500, and content edits never make a question impossible."""

import pytest

from app.courses.content import Quiz
from app.courses.services import sync_courses
from app.extensions import db
from app.quizzes.models import QuizAttempt
from app.quizzes.services import field_name
from tests.support.quizzes import QUIZ, answer_form, write_quiz_course


def test_a_retired_correct_option_does_not_count_against_a_new_attempt(
    app, tmp_path, client, auth, learner
):
    root = write_quiz_course(tmp_path / "c")
    sync_courses(root)
    quiz_file = root / "prov/1-grund/quiz.yml"
    # The right option moves first: option keys are positional, so o3 (once right) is retired.
    edited = QUIZ.format(max_attempts=2, shuffle="false", draw="").replace(
        "      - {text: Kontrollerar att mikrofonen är på, correct: true, feedback: Rätt – börja med det enkla.}\n"
        "      - {text: Startar om videorummet, feedback: Det tar lång tid och löser sällan ljudet.}\n"
        "      - {text: Avslutar mötet, feedback: Då förlorar alla tid.}\n",
        "      - {text: Kontrollerar att mikrofonen är på, correct: true}\n"
        "      - {text: Startar om videorummet, feedback: Det tar lång tid.}\n",
    )
    quiz_file.write_text(edited, encoding="utf-8")
    assert sync_courses(root).retired == 1
    auth.login_as(learner)
    response = client.post("/courses/prov/grund/quiz")
    attempt = db.session.get(QuizAttempt, int(response.location.rsplit("/", 1)[1]))
    client.post(f"/attempts/{attempt.id}", data=answer_form(attempt))
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).score == 100


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1", " 1", "1.0"])
def test_odd_option_values_are_refused_not_crashed_on(client, auth, learner, quiz, value):
    auth.login_as(learner)
    response = client.post("/courses/prov/grund/quiz")
    attempt = db.session.get(QuizAttempt, int(response.location.rsplit("/", 1)[1]))
    data = {**answer_form(attempt), field_name(attempt.questions[0][0]): value}
    assert client.post(f"/attempts/{attempt.id}", data=data).status_code == 400


@pytest.mark.parametrize(
    "url",
    ["/attempts/99999999999999999999", "/attempts/99999999999999999999/result",
     "/certificates/99999999999999999999.pdf"],
)  # fmt: skip
def test_huge_ids_are_404(client, auth, learner, url):
    auth.login_as(learner)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [("get", "/courses/a%00b", None), ("get", "/verify?code=a%00b", None),
     ("post", "/login", {"email": "a\x00b@example.se", "password": "x"})],
)  # fmt: skip
def test_nul_bytes_are_a_clear_400(client, method, url, data):
    response = getattr(client, method)(url, data=data)
    assert response.status_code == 400


def test_oversized_request_is_413_with_a_friendly_page(client):
    response = client.post("/login", data={"email": "x" * (6 * 1024 * 1024), "password": "x"})
    assert response.status_code == 413
    assert "<h1>" in response.get_data(as_text=True)


def test_quiz_count_is_unchanged_after_all_of_that(quiz):
    assert db.session.scalar(db.select(db.func.count(Quiz.id))) == 1
