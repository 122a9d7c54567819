"""Cascade training sessions and attendance (DESIGN §3)."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.labels import register_labels
from app.core.time import utcnow
from app.extensions import UTCDateTime, db
from app.municipalities.models import Municipality


class SessionKind(StrEnum):
    """An agent's end-user session, or the programme office's follow-up meeting for agents."""

    END_USER = "end_user"
    AGENT_FOLLOW_UP = "agent_follow_up"


register_labels(
    SessionKind,
    {
        SessionKind.END_USER: _l("utbildningstillfälle"),
        SessionKind.AGENT_FOLLOW_UP: _l("uppföljningsmöte för mötesagenter"),
    },
    "kind_label",
)


class AttendanceStatus(StrEnum):
    """Registered beforehand; attended or no-show once marked."""

    REGISTERED = "registered"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


register_labels(
    AttendanceStatus,
    {
        AttendanceStatus.REGISTERED: _l("Anmäld"),
        AttendanceStatus.ATTENDED: _l("Närvarande"),
        AttendanceStatus.NO_SHOW: _l("Uteblev"),
    },
    "status_label",
)


class SessionMode(StrEnum):
    """Where the session happens."""

    ON_SITE = "on_site"
    VIDEO = "video"
    WEB = "web"


register_labels(
    SessionMode,
    {
        SessionMode.ON_SITE: _l("På plats"),
        SessionMode.VIDEO: _l("Videorum"),
        SessionMode.WEB: _l("Webbmöte"),
    },
    "mode_label",
)


class TrainingSession(db.Model):
    """A training session: run by an agent (end users) or the programme office (agents).

    `registered_count` counts the people on the list; the database refuses a count above the
    capacity, so two last-seat registrations cannot both win.
    """

    __tablename__ = "training_session"
    __table_args__ = (
        CheckConstraint("kind IN ('end_user', 'agent_follow_up')", name="kind_known"),
        CheckConstraint("mode IN ('on_site', 'video', 'web')", name="mode_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "registered_count >= 0 AND (capacity IS NULL OR registered_count <= capacity)",
            name="within_capacity",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(500), default="")
    mode: Mapped[str] = mapped_column(String(20), default=SessionMode.ON_SITE)
    capacity: Mapped[int | None]
    registered_count: Mapped[int] = mapped_column(default=0)
    check_in_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An admin reopened a closed session for late recording (see training.timing): who, why.
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reopen_reason: Mapped[str] = mapped_column(Text, default="")

    agent: Mapped[User | None] = relationship(foreign_keys=[agent_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reopened_by: Mapped[User | None] = relationship(foreign_keys=[reopened_by_id])
    municipality: Mapped[Municipality | None] = relationship()

    @property
    def cancelled(self) -> bool:
        """True once cancelled."""
        return self.cancelled_at is not None

    @classmethod
    def has_free_seat(cls):
        """In SQL: no capacity set, or fewer registered than it allows."""
        return cls.capacity.is_(None) | (cls.registered_count < cls.capacity)

    @property
    def recorded_after_the_fact(self) -> bool:
        """Created after it had started ("registrerat i efterhand")."""
        return self.created_at is not None and self.created_at > self.starts_at


class Attendance(db.Model):
    """One person's registration and attendance at a session; who marked it, and when."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint("status IN ('registered', 'attended', 'no_show')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AttendanceStatus.REGISTERED)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the day-before e-mail

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    marked_by: Mapped[User | None] = relationship(foreign_keys=[marked_by_id])


class SessionEvaluation(db.Model):
    """An attendee's evaluation of a session: three ratings 1–5 and a comment.

    The person is kept only so that each answers once; results are shown as aggregates, and
    not at all below `EVALUATION_PRIVACY_MIN` answers.
    """

    __tablename__ = "session_evaluation"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint(
            "useful BETWEEN 1 AND 5 AND clear BETWEEN 1 AND 5 AND confident BETWEEN 1 AND 5",
            name="ratings_in_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    useful: Mapped[int]  # "Utbildningen var till nytta för mitt arbete"
    clear: Mapped[int]  # "Mötesagenten förklarade tydligt"
    confident: Mapped[int]  # "Jag känner mig säker på att delta i ett resfritt möte"
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Fewer answers than this and a session's (or an agent's) evaluation is not shown at all.
EVALUATION_PRIVACY_MIN = 5
