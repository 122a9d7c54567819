"""Attempts over HTTP: start, save, submit, results; tampering and replays change nothing."""

import re

import pytest

from app.core.roles import Role
from app.courses.content import Option, Question
from app.courses.services import sync_courses
from app.extensions import db
from app.quizzes.models import AttemptState, QuizAttempt
from app.quizzes.services import field_name
from tests.support.quizzes import QUIZ_URL, answer_form, start, text_of, write_quiz_course


def attempts() -> list[QuizAttempt]:
    db.session.expire_all()
    return db.session.scalars(db.select(QuizAttempt).order_by(QuizAttempt.id)).all()


def snapshot(attempt: QuizAttempt) -> tuple:
    db.session.expire_all()
    row = db.session.get(QuizAttempt, attempt.id)
    return (row.state, row.answers, row.results, row.score, row.passed, row.submitted_at)


@pytest.fixture
def logged_in(client, auth, learner, quiz):
    auth.login_as(learner)
    return client


def test_start_page_shows_questions_pass_mark_and_attempts_left(logged_in):
    html = logged_in.get(QUIZ_URL).get_data(as_text=True)
    assert "<dd>4</dd>" in html and "<dd>75&nbsp;%</dd>" in html
    assert "2 kvar av 2" in html and "Starta kunskapstestet" in html


def test_starting_fixes_the_questions_and_reloading_keeps_the_order(logged_in, quiz):
    attempt = start(logged_in)
    assert attempt.state == AttemptState.IN_PROGRESS and attempt.number == 1
    assert len(attempt.questions) == 4
    first = logged_in.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    second = logged_in.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert re.findall(r'name="(q-\d+)"', first) == re.findall(r'name="(q-\d+)"', second)
    assert start(logged_in).id == attempt.id, "starting again resumes the open attempt"
    assert len(attempts()) == 1


def test_form_is_accessible_markup(logged_in):
    attempt = start(logged_in)
    html = logged_in.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert html.count("<fieldset") == 4 and html.count("<legend>") == 4
    for input_id in re.findall(r'<input type="(?:radio|checkbox|text)" id="([^"]+)"', html):
        assert f'<label for="{input_id}">' in html
    assert 'type="checkbox"' in html and 'type="radio"' in html


def test_all_right_passes_and_result_explains(logged_in):
    attempt = start(logged_in)
    response = logged_in.post(f"/attempts/{attempt.id}", data=answer_form(attempt))
    assert response.status_code == 302 and response.location.endswith("/result")
    state, _, results, score, passed, submitted_at = snapshot(attempt)
    assert (state, score, passed) == (AttemptState.SUBMITTED, 100, True)
    assert all(results.values()) and submitted_at is not None
    html = logged_in.get(response.location).get_data(as_text=True)
    assert "Godkänt" in html and "100\u00a0% rätt (4 av 4 frågor)" in html
    assert "En avstängd mikrofon är den vanligaste orsaken." in html
    assert "Rätt – börja med det enkla." in html  # the chosen option's feedback


def test_all_wrong_fails_and_the_right_answers_wait_until_no_attempt_is_left(logged_in):
    attempt = start(logged_in)
    logged_in.post(f"/attempts/{attempt.id}", data=answer_form(attempt, right=False))
    assert snapshot(attempt)[3:5] == (0, False)
    html = text_of(logged_in.get(f"/attempts/{attempt.id}/result"))
    assert "Inte godkänt" in html and "Du har 1 försök kvar." in html
    assert "Rätt svar:" not in html, "one attempt is left: the right answers stay hidden"
    assert "Det tar lång tid och löser sällan ljudet." in html, "the wrong choice's feedback"
    assert "En avstängd mikrofon är den vanligaste orsaken." in html, "the explanation"
    assert "Försök igen" in html

    second = start(logged_in)
    logged_in.post(f"/attempts/{second.id}", data=answer_form(second, right=False))
    html = text_of(logged_in.get(f"/attempts/{second.id}/result"))
    assert "Du har använt alla dina försök. Kontakta programkontoret" in html
    assert "Rätt svar: Kontrollerar att mikrofonen är på" in html
    assert "Rätt svar: Länk eller adress; Agenda" in html
    assert "Försök igen" not in html
    first = text_of(logged_in.get(f"/attempts/{attempt.id}/result"))
    assert "Rätt svar: Kontrollerar att mikrofonen är på" in first, "the earlier result too"


def test_missing_answer_re_renders_with_errors_and_changes_nothing(logged_in):
    attempt = start(logged_in)
    before = snapshot(attempt)
    data = answer_form(attempt, skip=("tf",))
    response = logged_in.post(f"/attempts/{attempt.id}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Svara på alla frågor innan du lämnar in" in html and "Fråga 3 saknar svar" in html
    assert "checked" in html, "the answers given are kept in the form"
    assert snapshot(attempt) == before


@pytest.mark.parametrize("extra", ["score", "passed", "user_id"])
def test_extra_fields_are_refused(logged_in, extra):
    attempt = start(logged_in)
    before = snapshot(attempt)
    data = {**answer_form(attempt, right=False), extra: "100"}
    response = logged_in.post(f"/attempts/{attempt.id}", data=data)
    assert response.status_code == 400
    assert "hör till testet" in response.get_data(as_text=True)
    assert snapshot(attempt) == before


def test_option_from_another_question_is_refused(logged_in):
    attempt = start(logged_in)
    before = snapshot(attempt)
    (first_id, first_options), (second_id, _), *_ = attempt.questions
    data = {**answer_form(attempt), field_name(second_id): str(first_options[0])}
    assert logged_in.post(f"/attempts/{attempt.id}", data=data).status_code == 400
    assert snapshot(attempt) == before


def test_option_from_another_quiz_is_refused(logged_in, tmp_path):
    attempt = start(logged_in)
    before = snapshot(attempt)
    root = tmp_path / "courses"  # where the quiz_course fixture wrote "prov"
    (write_quiz_course(tmp_path / "other") / "prov").rename(root / "annan")
    sync_courses(root)
    foreign = db.session.scalar(
        db.select(Option.id).join(Question).where(Question.quiz_id != attempt.quiz_id).limit(1)
    )
    single_id = attempt.questions[0][0]
    data = {**answer_form(attempt), field_name(single_id): str(foreign)}
    assert logged_in.post(f"/attempts/{attempt.id}", data=data).status_code == 400
    assert snapshot(attempt) == before


def test_second_submit_is_harmless(logged_in):
    attempt = start(logged_in)
    logged_in.post(f"/attempts/{attempt.id}", data=answer_form(attempt, right=False))
    first = snapshot(attempt)
    replay = logged_in.post(
        f"/attempts/{attempt.id}", data=answer_form(attempt), follow_redirects=True
    )
    assert replay.status_code == 200
    assert "Försöket är redan inlämnat" in replay.get_data(as_text=True)
    assert snapshot(attempt) == first
    assert [a.state for a in attempts()] == [AttemptState.SUBMITTED]


def test_someone_elses_attempt_is_404_and_unchanged(client, auth, learner, create_user, quiz):
    auth.login_as(learner)
    attempt = start(client)
    before = snapshot(attempt)
    auth.logout()
    auth.login_as(create_user(role=Role.EMPLOYEE))
    assert client.get(f"/attempts/{attempt.id}").status_code == 404
    assert client.get(f"/attempts/{attempt.id}/result").status_code == 404
    assert client.post(f"/attempts/{attempt.id}", data=answer_form(attempt)).status_code == 404
    assert snapshot(attempt) == before


def test_max_attempts_is_enforced_on_the_server(logged_in):
    for _ in range(2):
        attempt = start(logged_in)
        logged_in.post(f"/attempts/{attempt.id}", data=answer_form(attempt, right=False))
    response = logged_in.post(QUIZ_URL, follow_redirects=True)
    assert "Du har använt alla dina försök" in response.get_data(as_text=True)
    assert len(attempts()) == 2
    assert "0 kvar av 2" in logged_in.get(QUIZ_URL).get_data(as_text=True)


def test_passed_quiz_cannot_be_started_again(logged_in):
    attempt = start(logged_in)
    logged_in.post(f"/attempts/{attempt.id}", data=answer_form(attempt))
    response = logged_in.post(QUIZ_URL, follow_redirects=True)
    assert "redan klarat" in response.get_data(as_text=True)
    assert len(attempts()) == 1


def test_save_and_continue_later_without_javascript(logged_in):
    attempt = start(logged_in)
    single_id = attempt.questions[0][0]
    data = {**answer_form(attempt, skip=("multiple", "tf", "text")), "action": "save"}
    response = logged_in.post(f"/attempts/{attempt.id}", data=data)
    assert response.status_code == 302 and response.location == QUIZ_URL
    state, answers, *_ = snapshot(attempt)
    assert state == AttemptState.IN_PROGRESS and list(answers) == [str(single_id)]
    assert "Fortsätt försöket" in logged_in.get(QUIZ_URL).get_data(as_text=True)
    html = logged_in.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert html.count("checked") == 1


def test_history_lists_attempts(logged_in):
    attempt = start(logged_in)
    logged_in.post(f"/attempts/{attempt.id}", data=answer_form(attempt, right=False))
    start(logged_in)
    html = logged_in.get("/attempts/").get_data(as_text=True)
    assert "0&nbsp;% – inte godkänt" in html and "Påbörjat – fortsätt" in html


def test_role_without_access_to_the_course_gets_404(client, auth, create_user, tmp_path, app):
    sync_courses(write_quiz_course(tmp_path / "agentkurs", audience="agent"))
    auth.login_as(create_user(role=Role.EMPLOYEE))
    assert client.get(QUIZ_URL).status_code == 404
    assert client.post(QUIZ_URL).status_code == 404


def test_feedback_shown_matches_the_verdict(client, auth, app, tmp_path, learner):
    from app.courses.content import Option, Question, Quiz
    from app.courses.services import sync_courses
    from app.quizzes.services import field_name, start_attempt
    from tests.support.quizzes import answer_form, write_quiz_course

    root = write_quiz_course(tmp_path / "c")
    quiz_file = root / "prov/1-grund/quiz.yml"
    quiz_file.write_text(
        quiz_file.read_text(encoding="utf-8").replace(
            "{text: Länk eller adress, correct: true}",
            "{text: Länk eller adress, correct: true, feedback: Rätt. Länken behövs.}",
        ),
        encoding="utf-8",
    )
    sync_courses(root)
    auth.login_as(learner)
    attempt = start_attempt(learner, db.session.scalar(db.select(Quiz)))
    data = answer_form(attempt)
    multiple = db.session.scalar(db.select(Question).filter_by(key="multiple"))
    options = db.session.scalars(db.select(Option.id).filter_by(question_id=multiple.id)).all()
    data[field_name(multiple.id)] = [str(option) for option in options]  # the password too
    client.post(f"/attempts/{attempt.id}", data=data)
    html = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Lösenord delar du aldrig." in html, "the wrong choice's feedback"
    assert "Rätt. Länken behövs." not in html, "no praise on a question marked wrong"
