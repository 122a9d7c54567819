"""The content of a course that lives beside its lessons: each part's quiz (questions and
options) and practice (tasks), loaded by `flask courses sync` with the rest of the course.

What learners do with them (attempts, ticks, confirmations) lives in `quizzes` and `practice`,
above; content stays here so that the loader needs nothing higher than `courses`.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class ConfirmedBy(StrEnum):
    """Who confirms a practice: the learner's own ticks, or the follow-up meeting's trainer."""

    SELF = "self"
    TRAINER = "trainer"


class Practice(db.Model):
    """The practice step of one module."""

    __tablename__ = "practice"
    __table_args__ = (
        CheckConstraint("confirmed_by IN ('self', 'trainer')", name="confirmed_by_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    confirmed_by: Mapped[str] = mapped_column(String(20), default=ConfirmedBy.SELF)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tasks: Mapped[list["PracticeTask"]] = relationship(order_by="PracticeTask.position")

    @property
    def needs_trainer(self) -> bool:
        """True when the follow-up meeting's trainer must confirm the practice."""
        return self.confirmed_by == ConfirmedBy.TRAINER


class PracticeTask(db.Model):
    """One thing to do; `key` is its stable id within the practice, `help_html` sanitised."""

    __tablename__ = "practice_task"
    __table_args__ = (UniqueConstraint("practice_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    key: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    help_html: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
