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
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.courses.content import Quiz
from app.extensions import UTCDateTime, db


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
