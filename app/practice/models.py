"""Practice tasks (practice.yml): things a learner does in a real meeting, ticked with a note."""

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import utcnow
from app.extensions import UTCDateTime, db


class PracticeCheck(db.Model):
    """A learner did a task, with a line on how it went."""

    __tablename__ = "practice_check"
    __table_args__ = (UniqueConstraint("user_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("practice_task.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PracticeConfirmation(db.Model):
    """A trainer confirmed a learner's practice, at a follow-up meeting."""

    __tablename__ = "practice_confirmation"
    __table_args__ = (UniqueConstraint("user_id", "practice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_session.id"), index=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
