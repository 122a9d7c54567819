"""The audit log: what coordinators and the programme office did, to whom, and when."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.time import utcnow
from app.extensions import UTCDateTime, db
from app.municipalities.models import Municipality


class AuditAction(StrEnum):
    """The actions the audit log records (labels in `app.labels`)."""

    ROSTER_IMPORTED = "roster_imported"
    PERSON_CREATED = "person_created"
    ROLE_CHANGED = "role_changed"
    PERSON_MOVED = "person_moved"
    PERSON_DEACTIVATED = "person_deactivated"
    PERSON_REACTIVATED = "person_reactivated"
    ACTIVATION_SENT = "activation_sent"
    ATTENDANCE_MARKED = "attendance_marked"
    SESSION_REOPENED = "session_reopened"
    CERTIFICATE_REVOKED = "certificate_revoked"
    TARGETS_SET = "targets_set"
    PERSON_ERASED = "person_erased"
    PRACTICE_CONFIRMED = "practice_confirmed"
    FACTS_UPDATED = "facts_updated"


class AuditEntry(db.Model):
    """One action: who (None: the command line or the system), what, about whom, where, when.

    Details hold ids, codes, roles and counts, never names or e-mail addresses, so an entry
    stays meaningful, and says nothing more, after its subject is erased.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])
    municipality: Mapped[Municipality | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} by {self.actor_id} on {self.subject_id}>"
