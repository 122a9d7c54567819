"""Certificates: one per user and course, verifiable by a short printed code."""

from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.time import utcnow
from app.courses.models import Course
from app.extensions import UTCDateTime, db
from app.municipalities.models import Municipality


class Certificate(db.Model):
    """A certificate (intyg): names and course as issued; revoking keeps it, with the reason."""

    __tablename__ = "certificate"
    __table_args__ = (
        # One valid certificate per person and course; a revoked one stays beside its successor.
        Index(
            "uq_certificate_valid",
            "user_id",
            "course_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    course_title: Mapped[str] = mapped_column(String(200))
    course_version: Mapped[int]
    holder_name: Mapped[str] = mapped_column(String(200))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    trainer_name: Mapped[str | None] = mapped_column(String(200))  # as it was when issued
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_session.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    holder: Mapped[User] = relationship(foreign_keys=[user_id])
    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id])
    course: Mapped[Course] = relationship()
    municipality: Mapped[Municipality | None] = relationship()

    @property
    def revoked(self) -> bool:
        """True once revoked."""
        return self.revoked_at is not None


def valid_certificate_rule(certificate=Certificate) -> ColumnElement[bool]:
    """The valid-certificate rule: a certificate counts from its issue until it is revoked."""
    return certificate.revoked_at.is_(None)
