"""Ten simultaneous submissions of one attempt: exactly one wins; draw and shuffle are stable."""

import threading

import pytest
from werkzeug.datastructures import MultiDict

from app.auth.models import User
from app.courses.content import Option, Question, Quiz
from app.courses.services import sync_courses
from app.extensions import db
from app.quizzes.models import AttemptState, QuizAttempt
from app.quizzes.services import AttemptClosed, read_answers, start_attempt, submit_attempt
from tests.support.quizzes import answer_form, write_quiz_course


@pytest.mark.real_commits
def test_ten_threads_submitting_the_same_attempt_make_one_submission(app, quiz, learner):
    attempt = start_attempt(learner, quiz)
    form = MultiDict(answer_form(attempt))
    barrier = threading.Barrier(10, timeout=20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        with app.app_context():
            own_attempt = db.session.get(QuizAttempt, attempt.id)
            user = db.session.get(User, learner.id)
            answers = read_answers(own_attempt, form)
            barrier.wait()
            try:
                submit_attempt(user, own_attempt, answers)
                outcome = "won"
            except AttemptClosed:
                outcome = "closed"
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["closed"] * 9 + ["won"]
    db.session.expire_all()
    rows = db.session.scalars(db.select(QuizAttempt)).all()
    assert [(row.state, row.score) for row in rows] == [(AttemptState.SUBMITTED, 100)]


@pytest.mark.real_commits
def test_two_simultaneous_starts_make_one_open_attempt(app, quiz, learner):
    barrier = threading.Barrier(2, timeout=20)
    ids: list[int] = []

    def begin() -> None:
        with app.app_context():
            user = db.session.get(User, learner.id)
            own_quiz = db.session.get(Quiz, quiz.id)
            barrier.wait()
            ids.append(start_attempt(user, own_quiz).id)

    threads = [threading.Thread(target=begin) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 1
    assert db.session.scalar(db.select(db.func.count(QuizAttempt.id))) == 1


def test_draw_takes_n_questions_and_shuffle_is_fixed_per_attempt(app, tmp_path, learner):
    sync_courses(write_quiz_course(tmp_path / "c", shuffle="true", draw="draw: 3", max_attempts=50))
    quiz = db.session.scalar(db.select(Quiz))
    orders = set()
    for _ in range(12):
        attempt = start_attempt(learner, quiz)
        assert len(attempt.questions) == 3
        assert len({question_id for question_id, _ in attempt.questions}) == 3
        for question_id, option_ids in attempt.questions:
            if db.session.get(Question, question_id).type == "true_false":
                keys = [db.session.get(Option, option_id).key for option_id in option_ids]
                assert keys == ["true", "false"], "Sant always comes before Falskt"
        stored = db.session.get(QuizAttempt, attempt.id).questions
        assert stored == attempt.questions
        orders.add(tuple((q, *o) for q, o in attempt.questions))
        attempt.state, attempt.score, attempt.passed = AttemptState.SUBMITTED, 0, False
        db.session.commit()
    assert len(orders) > 1, "twelve attempts should not all draw the same order"
