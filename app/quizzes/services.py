"""Writes of the quizzes domain: starting, saving and submitting attempts; grading on the server."""

import logging
import random
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.auth.models import User
from app.core.errors import DomainError, one_transaction
from app.core.events import quiz_passed
from app.core.time import utcnow
from app.courses.content import Option, Question, Quiz
from app.courses.models import Course
from app.courses.question_types import QUESTION_TYPES, InvalidAnswer
from app.extensions import db
from app.quizzes import queries
from app.quizzes.models import AttemptState, QuizAttempt

log = logging.getLogger(__name__)
_random = random.SystemRandom()
FORM_FIELDS = {"csrf_token", "action"}


class QuizError(DomainError):
    """A quiz action the learner may not take now; the message says why."""


class AttemptClosed(QuizError):
    """The attempt was already submitted (another tab, a replay or a double click)."""


class MissingAnswers(QuizError):
    """Some questions are unanswered; `question_ids` says which."""

    def __init__(self, question_ids: list[int]):
        super().__init__(_l("Svara på alla frågor innan du lämnar in."))
        self.question_ids = question_ids


def field_name(question_id: int) -> str:
    """The form field of a question."""
    return f"q-{question_id}"


def start_attempt(user: User, quiz: Quiz) -> QuizAttempt:
    """Resume the open attempt, or start a new one with its questions drawn and ordered.

    :raise QuizError: the quiz is passed already, or no attempts are left.
    """
    status = queries.quiz_status(user, quiz)
    if status.open_attempt is not None:
        return status.open_attempt
    if status.passed:
        raise QuizError(_l("Du har redan klarat det här kunskapstestet."))
    if status.attempts_left == 0:
        raise QuizError(_l("Du har använt alla dina försök på det här kunskapstestet."))
    attempt = QuizAttempt(
        user_id=user.id,
        quiz_id=quiz.id,
        number=status.attempts_used + 1,
        state=AttemptState.IN_PROGRESS,
        questions=_draw_questions(quiz),
        answers={},
        results={},
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
        db.session.commit()
    except IntegrityError:
        # Another request started one at the same moment: use that one.
        db.session.rollback()
        status = queries.quiz_status(user, quiz)
        if status.open_attempt is None:
            raise QuizError(_l("Försöket kunde inte startas. Försök igen.")) from None
        return status.open_attempt
    log.info("%s started attempt %d of quiz %d", user.email, attempt.number, quiz.id)
    return attempt


def _draw_questions(quiz: Quiz) -> list[list[Any]]:
    """Draw and order the questions (and options) of a new attempt: [[qid, [oid, ...]], ...].

    With question groups each attempt draws each group's number from that group (so every
    attempt covers every topic); else `draw` questions from the whole pool.
    """
    rows = db.session.execute(
        db.select(Question.id, Question.type, Question.group, Option.id)
        .outerjoin(Option, (Option.question_id == Question.id) & Option.retired_at.is_(None))
        .where(Question.quiz_id == quiz.id, Question.retired_at.is_(None))
        .order_by(Question.position, Option.position)
    ).all()
    pool: dict[int, list[int]] = {}
    by_group: dict[str | None, list[int]] = {}
    fixed_order: set[int] = set()  # "Sant" before "Falskt", always
    for question_id, question_type, group, option_id in rows:
        if question_id not in pool:
            pool[question_id] = []
            by_group.setdefault(group, []).append(question_id)
        if option_id is not None:
            pool[question_id].append(option_id)
        if question_type == "true_false":
            fixed_order.add(question_id)
    drawn = _drawn(quiz, by_group)
    order = [question_id for question_id in pool if question_id in drawn]
    if quiz.shuffle:
        _random.shuffle(order)
        for question_id, options in pool.items():
            if question_id not in fixed_order:
                _random.shuffle(options)
    return [[question_id, pool[question_id]] for question_id in order]


def _drawn(quiz: Quiz, by_group: dict[str | None, list[int]]) -> set[int]:
    """The questions of one attempt: per group its draw, else `draw` of all, else every one."""
    if quiz.groups:
        return {
            question_id
            for group, wanted in quiz.groups.items()
            for question_id in _random.sample(
                by_group.get(group, []), min(wanted, len(by_group.get(group, [])))
            )
        }
    everyone = [question_id for ids in by_group.values() for question_id in ids]
    if quiz.draw and quiz.draw < len(everyone):
        return set(_random.sample(everyone, quiz.draw))
    return set(everyone)


def read_answers(attempt: QuizAttempt, form: MultiDict) -> dict[str, Any]:
    """Parse the submitted form against the attempt's own questions and options.

    :raise InvalidAnswer: an unexpected field (score, passed, user_id, …) or an option that
        does not belong to its question.
    """
    expected = {field_name(question_id) for question_id, _ in attempt.questions}
    unexpected = sorted(set(form.keys()) - expected - FORM_FIELDS)
    if unexpected:
        raise InvalidAnswer(f"unexpected field(s): {', '.join(unexpected)}")
    types = queries.question_types(attempt)
    return {
        str(question_id): QUESTION_TYPES[types[question_id]].parse(
            form.getlist(field_name(question_id)), option_ids
        )
        for question_id, option_ids in attempt.questions
    }


def save_answers(user: User, attempt: QuizAttempt, answers: dict[str, Any]) -> None:
    """Keep the answers of an open attempt to continue later.

    :raise AttemptClosed: the attempt is submitted already; nothing is changed.
    """
    kept = {key: value for key, value in answers.items() if value is not None}
    result = db.session.execute(
        db.update(QuizAttempt)
        .where(
            QuizAttempt.id == attempt.id,
            QuizAttempt.user_id == user.id,
            QuizAttempt.state == AttemptState.IN_PROGRESS,
        )
        .values(answers=kept, saved_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise AttemptClosed(_l("Försöket är redan inlämnat."))
    db.session.commit()
    attempt.answers = kept


def submit_attempt(user: User, attempt: QuizAttempt, answers: dict[str, Any]) -> QuizAttempt:
    """Grade the answers from the stored key and close the attempt; only one submit can win.

    One transaction: the attempt and, when it passes, the completions and the certificate it
    brings (`quiz_passed`) are saved together or not at all.

    :raise MissingAnswers: a question is unanswered; nothing is changed.
    :raise AttemptClosed: the attempt was already submitted; nothing is changed.
    """
    missing = [int(key) for key, value in answers.items() if value is None]
    if missing:
        raise MissingAnswers(missing)
    results = grade(attempt, answers)
    score = percent(sum(results.values()), len(results))
    quiz = db.session.get(Quiz, attempt.quiz_id)
    passed = score >= quiz.pass_mark
    # The state check in the WHERE clause makes the database pick exactly one winner.
    outcome = db.session.execute(
        db.update(QuizAttempt)
        .where(
            QuizAttempt.id == attempt.id,
            QuizAttempt.user_id == user.id,
            QuizAttempt.state == AttemptState.IN_PROGRESS,
        )
        .values(
            state=AttemptState.SUBMITTED,
            answers=answers,
            results=results,
            score=score,
            passed=passed,
            submitted_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if outcome.rowcount != 1:
        db.session.rollback()
        raise AttemptClosed(_l("Försöket är redan inlämnat."))
    with one_transaction():
        db.session.refresh(attempt)
        if passed:
            course = db.session.scalar(
                db.select(Course).join(Course.modules).filter_by(id=quiz.module_id)
            )
            quiz_passed.send(user, course=course, attempt=attempt)
    log.info("%s submitted quiz %d: %d %% (%s)", user.email, quiz.id, score, passed)
    return attempt


def percent(points: int, total: int) -> int:
    """Whole percent, rounded down: 7 of 9 is 77, so a pass mark of 78 is not reached."""
    return 100 * points // total if total else 0


def grade(attempt: QuizAttempt, answers: dict[str, Any]) -> dict[str, bool]:
    """Whether each answer is right, from the key stored on the server."""
    key = queries.answer_key(attempt)
    return {
        str(question_id): QUESTION_TYPES[key[question_id].type].grade(
            answers.get(str(question_id)),
            key[question_id].correct_option_ids,
            key[question_id].answer,
        )
        for question_id, _ in attempt.questions
    }
