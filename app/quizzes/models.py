"""Quiz content synced from quiz.yml (quiz, question, option), and learners' attempts."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import UTCDateTime, db


class RevealAnswers(StrEnum):
    """When a result shows the right answers (quiz.yml `reveal_answers`)."""

    AFTER_PASS = "after_pass"  # noqa: S105 - not a password: once passed, or no attempts left
    ALWAYS = "always"  # on every result


class Quiz(db.Model):
    """The quiz of one module."""

    __tablename__ = "quiz"
    __table_args__ = (
        CheckConstraint("reveal_answers IN ('after_pass', 'always')", name="reveal_answers_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    pass_mark: Mapped[int]
    max_attempts: Mapped[int | None]
    shuffle: Mapped[bool] = mapped_column(default=False)
    draw: Mapped[int | None]
    # Stratified draw: {group id: questions drawn from it per attempt}; None draws from the pool.
    groups: Mapped[dict[str, int] | None] = mapped_column(JSON)
    reveal_answers: Mapped[str] = mapped_column(
        String(20), default=RevealAnswers.AFTER_PASS, server_default=RevealAnswers.AFTER_PASS
    )
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    questions: Mapped[list["Question"]] = relationship(order_by="Question.position")

    @property
    def reveals_at_once(self) -> bool:
        """True when every result shows the right answers, passed or not."""
        return self.reveal_answers == RevealAnswers.ALWAYS


class Question(db.Model):
    """A question; `key` is its stable id within the quiz, `answer` holds e.g. accepted texts."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("quiz_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    key: Mapped[str] = mapped_column(String(50))
    type: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    group: Mapped[str | None] = mapped_column(String(50))  # a key of Quiz.groups
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    options: Mapped[list["Option"]] = relationship(order_by="Option.position")


class Option(db.Model):
    """An answer option of a single, multiple or true/false question."""

    __tablename__ = "option"
    __table_args__ = (UniqueConstraint("question_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    key: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(default=False)
    feedback: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AttemptState(StrEnum):
    """An attempt is open until it is submitted; a submitted attempt never changes."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


OPEN = text("state = 'in_progress'")


class QuizAttempt(db.Model):
    """One try at a quiz: its drawn questions in order, the answers, and the server's grading.

    `questions` is fixed at start: [[question_id, [option_id, ...]], ...] in display order.
    `answers` maps str(question_id) to a list of option ids, or to the typed text.
    `results` maps str(question_id) to whether the answer was right, fixed at submission.
    """

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        UniqueConstraint("user_id", "quiz_id", "number"),
        CheckConstraint("state IN ('in_progress', 'submitted')", name="state_known"),
        CheckConstraint(
            "state = 'in_progress' OR (score IS NOT NULL AND passed IS NOT NULL)",
            name="submitted_is_graded",
        ),
        # At most one open attempt per learner and quiz, whatever races happen.
        Index(
            "uq_quiz_attempt_one_open",
            "user_id",
            "quiz_id",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), default=AttemptState.IN_PROGRESS)
    questions: Mapped[list[Any]] = mapped_column(JSON)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    results: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    score: Mapped[int | None]
    passed: Mapped[bool | None]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    quiz: Mapped[Quiz] = relationship()

    @property
    def is_open(self) -> bool:
        """True while the learner can still answer."""
        return self.state == AttemptState.IN_PROGRESS
