"""Background jobs: long work (a print pack) done off the request, with its progress and file."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import UTCDateTime, db

if TYPE_CHECKING:
    from app.auth.models import User


class JobState(StrEnum):
    """Waiting for a worker, being worked on, finished with a file, or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """One piece of long work asked for by a person, who alone may follow and download it."""

    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_known"),
        Index("ix_job_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    owner: Mapped[User] = relationship("User")  # the work is done as this person may do it now
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default=JobState.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    filename: Mapped[str] = mapped_column(String(200), default="")  # the download's name
    stored_as: Mapped[str] = mapped_column(String(100), default="")  # the file in JOBS_DIR
    message: Mapped[str] = mapped_column(String(300), default="")  # what was done, if no file
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        """Done or failed: nothing more will happen."""
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        """How far it has come, 0–100 (100 once done)."""
        if self.state == JobState.DONE:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0
