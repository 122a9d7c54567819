"""Practice tasks (practice.yml): things a learner does in a real meeting, ticked with a note."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import UTCDateTime, db


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
