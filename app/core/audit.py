"""The audit log: what coordinators and the programme office did, to whom, and when.

On the ground floor because every domain that changes people or figures records here; the
caller adds the entry to its own transaction, so an action and its entry are one write.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.labels import register_labels
from app.core.time import utcnow
from app.extensions import UTCDateTime, db

if TYPE_CHECKING:
    from app.auth.models import User
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
    PROGRESS_REPAIRED = "progress_repaired"


register_labels(
    AuditAction,
    {
        AuditAction.ROSTER_IMPORTED: _l("Personallista inläst"),
        AuditAction.PERSON_CREATED: _l("Person tillagd"),
        AuditAction.ROLE_CHANGED: _l("Roll ändrad"),
        AuditAction.PERSON_MOVED: _l("Flyttad till en annan kommun"),
        AuditAction.PERSON_DEACTIVATED: _l("Konto avslutat"),
        AuditAction.PERSON_REACTIVATED: _l("Konto återaktiverat"),
        AuditAction.ACTIVATION_SENT: _l("Aktiveringslänk skickad"),
        AuditAction.ATTENDANCE_MARKED: _l("Närvaro markerad"),
        AuditAction.SESSION_REOPENED: _l("Tillfälle öppnat igen"),
        AuditAction.CERTIFICATE_REVOKED: _l("Intyg återkallat"),
        AuditAction.TARGETS_SET: _l("Mål ändrade"),
        AuditAction.PERSON_ERASED: _l("Person raderad"),
        AuditAction.PRACTICE_CONFIRMED: _l("Övningar bekräftade"),
        AuditAction.FACTS_UPDATED: _l("Kommunens uppgifter ändrade"),
        AuditAction.PROGRESS_REPAIRED: _l("Framsteg rättade"),
    },
    "action_label",
)


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

    actor: Mapped[User | None] = relationship("User", foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship("User", foreign_keys=[subject_id])
    municipality: Mapped[Municipality | None] = relationship("Municipality")

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} by {self.actor_id} on {self.subject_id}>"


def _values(actor, action, subject, municipality_id, details) -> dict:
    """An entry's columns: its municipality is the one given, else the subject's, else the
    actor's (a subject given by id has none to offer)."""
    person = subject if subject is not None and not isinstance(subject, int) else None
    if municipality_id is None and person is not None:
        municipality_id = person.municipality_id
    if municipality_id is None and actor is not None:
        municipality_id = actor.municipality_id
    return {
        "actor_id": actor.id if actor is not None else None,
        "action": action,
        "subject_id": person.id if person is not None else subject,
        "municipality_id": municipality_id,
        "details": details,
    }


def audit(
    actor: User | None,
    action: AuditAction,
    subject: User | int | None = None,
    *,
    municipality_id: int | None = None,
    **details,
) -> None:
    """Record one action in the audit log; the caller commits it with the action itself.

    `actor` None is the command line or the system. Details are ids, codes, roles and counts.
    """
    db.session.add(AuditEntry(**_values(actor, action, subject, municipality_id, details)))


def audit_each(
    actor: User | None,
    action: AuditAction,
    entries: Iterable[tuple[User | int, dict[str, Any]]],
    *,
    municipality_id: int | None = None,
) -> None:
    """The same action on several people, (subject, details) each: one INSERT however many
    (the caller commits)."""
    rows = [
        _values(actor, action, subject, municipality_id, details) for subject, details in entries
    ]
    if rows:
        db.session.execute(db.insert(AuditEntry), rows)
