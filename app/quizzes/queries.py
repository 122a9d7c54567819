"""Reads of the quizzes domain; each a fixed number of queries."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func

from app.auth.models import User
from app.courses.content import Option, Question, Quiz
from app.courses.models import Course, Module
from app.extensions import db
from app.quizzes.models import AttemptState, QuizAttempt


@dataclass
class QuizStatus:
    """Where a learner stands with a quiz."""

    quiz: Quiz
    attempts_used: int
    passed: bool
    best_score: int | None
    open_attempt: QuizAttempt | None

    @property
    def attempts_left(self) -> int | None:
        """Attempts still allowed (None: unlimited)."""
        if self.quiz.max_attempts is None:
            return None
        return max(0, self.quiz.max_attempts - self.attempts_used)

    @property
    def reveals_answers(self) -> bool:
        """Whether results show the right answers: always, once passed, or with no try left."""
        if self.quiz.reveals_at_once or self.passed:
            return True
        # An attempt still open counts as used, but its answers must not be given away.
        return self.attempts_left == 0 and self.open_attempt is None


def quiz_status(user: User, quiz: Quiz) -> QuizStatus:
    """Attempts used, passed, best score and the open attempt (1 query)."""
    attempts = db.session.scalars(
        db.select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.quiz_id == quiz.id)
        .order_by(QuizAttempt.number)
    ).all()
    submitted = [a for a in attempts if a.state == AttemptState.SUBMITTED]
    return QuizStatus(
        quiz=quiz,
        attempts_used=max((a.number for a in attempts), default=0),
        passed=any(a.passed for a in submitted),
        best_score=max((a.score for a in submitted), default=None),
        open_attempt=next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None),
    )


def module_quiz(course: Course, module_slug: str) -> tuple[Module, Quiz] | None:
    """The active module of this course with this slug, and its active quiz (1 query)."""
    row = db.session.execute(
        db.select(Module, Quiz)
        .join(Quiz, Quiz.module_id == Module.id)
        .where(
            Module.course_id == course.id,
            Module.slug == module_slug,
            Module.retired_at.is_(None),
            Quiz.retired_at.is_(None),
        )
    ).first()
    return (row[0], row[1]) if row else None


def pool_size(quiz: Quiz) -> int:
    """How many questions an attempt holds: the groups' or the quiz's draw, or the whole active
    pool (1 query)."""
    active = db.session.scalar(
        db.select(func.count(Question.id)).where(
            Question.quiz_id == quiz.id, Question.retired_at.is_(None)
        )
    )
    drawn = sum(quiz.groups.values()) if quiz.groups else quiz.draw
    return min(drawn, active) if drawn else active


def get_own_attempt(user: User, attempt_id: int) -> QuizAttempt | None:
    """The user's own attempt with this id; someone else's is None, like a missing one."""
    return db.session.scalar(
        db.select(QuizAttempt).where(QuizAttempt.id == attempt_id, QuizAttempt.user_id == user.id)
    )


def attempt_context(attempt: QuizAttempt) -> tuple[Course, Module, Quiz] | None:
    """The course, module and quiz an attempt belongs to (1 query)."""
    row = db.session.execute(
        db.select(Course, Module, Quiz)
        .join(Module, Module.course_id == Course.id)
        .join(Quiz, Quiz.module_id == Module.id)
        .where(Quiz.id == attempt.quiz_id)
    ).first()
    return tuple(row) if row else None


def question_types(attempt: QuizAttempt) -> dict[int, str]:
    """The type of each question of the attempt (1 query)."""
    ids = [question_id for question_id, _ in attempt.questions]
    return dict(
        db.session.execute(db.select(Question.id, Question.type).where(Question.id.in_(ids))).all()
    )


@dataclass
class KeyEntry:
    """What grading needs of one question."""

    type: str
    answer: dict[str, Any]
    correct_option_ids: set[int] = field(default_factory=set)


def answer_key(attempt: QuizAttempt) -> dict[int, KeyEntry]:
    """The stored answer key of the attempt's questions (2 queries)."""
    ids = [question_id for question_id, _ in attempt.questions]
    key = {
        q.id: KeyEntry(q.type, q.answer or {})
        for q in db.session.scalars(db.select(Question).where(Question.id.in_(ids)))
    }
    correct = db.session.execute(
        db.select(Option.question_id, Option.id).where(
            Option.question_id.in_(ids), Option.correct.is_(True)
        )
    ).all()
    offered = {option_id for _, options in attempt.questions for option_id in options}
    for question_id, option_id in correct:
        if option_id in offered:  # an option retired or added since the attempt began never counts
            key[question_id].correct_option_ids.add(option_id)
    return key


@dataclass
class AttemptQuestion:
    """A question as shown in an attempt: its options in the attempt's order."""

    number: int
    question: Question
    options: list[Option]
    answer: Any = None
    right: bool | None = None

    @property
    def chosen_options(self) -> list[Option]:
        """The options the learner chose."""
        chosen = self.answer if isinstance(self.answer, list) else []
        return [option for option in self.options if option.id in chosen]


def attempt_questions(
    attempt: QuizAttempt, answers: dict[str, Any] | None = None
) -> list[AttemptQuestion]:
    """The attempt's questions and options in its fixed order, with answers (2 queries)."""
    answers = attempt.answers if answers is None else answers
    question_ids = [question_id for question_id, _ in attempt.questions]
    option_ids = [option_id for _, options in attempt.questions for option_id in options]
    questions = {
        q.id: q
        for q in db.session.scalars(db.select(Question).where(Question.id.in_(question_ids)))
    }
    options = (
        {o.id: o for o in db.session.scalars(db.select(Option).where(Option.id.in_(option_ids)))}
        if option_ids
        else {}
    )
    return [
        AttemptQuestion(
            number=number,
            question=questions[question_id],
            options=[options[option_id] for option_id in option_order],
            answer=(answers or {}).get(str(question_id)),
            right=attempt.results.get(str(question_id)) if attempt.results else None,
        )
        for number, (question_id, option_order) in enumerate(attempt.questions, start=1)
    ]


@dataclass
class AttemptRow:
    """One line of "my attempts"."""

    attempt: QuizAttempt
    course: Course
    module: Module
    quiz: Quiz


def attempts_of(user: User) -> list[AttemptRow]:
    """Every attempt of the user, newest first, with course, module and quiz (1 query)."""
    rows = db.session.execute(
        db.select(QuizAttempt, Course, Module, Quiz)
        .join(Quiz, QuizAttempt.quiz_id == Quiz.id)
        .join(Module, Quiz.module_id == Module.id)
        .join(Course, Module.course_id == Course.id)
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
    ).all()
    return [AttemptRow(*row) for row in rows]
