"""The audit log in words: an entry's details as a sentence (action labels: `app.labels`)."""

from flask_babel import gettext as _

from app.core.audit import AuditAction, AuditEntry
from app.core.labels import label
from app.core.roles import Role
from app.training.models import AttendanceStatus


def describe(entry: AuditEntry) -> str:
    """The entry's details as a short sentence in the reader's language."""
    details, action = entry.details or {}, entry.action
    if action == AuditAction.ROSTER_IMPORTED:
        return _(
            "nya: %(created)s, ändrade: %(updated)s, avvisade: %(rejected)s (%(codes)s)",
            created=details.get("created", 0), updated=details.get("updated", 0),
            rejected=details.get("rejected", 0), codes=", ".join(details.get("municipalities", [])),
        )  # fmt: skip
    if action == AuditAction.PERSON_CREATED:
        return _("roll: %(role)s", role=label(Role, details.get("role")))
    if action == AuditAction.ROLE_CHANGED:
        old, new = label(Role, details.get("old")), label(Role, details.get("new"))
        return _("från %(old)s till %(new)s", old=old, new=new)
    if action == AuditAction.PERSON_MOVED:
        return _("från %(old)s till %(new)s", old=details.get("old"), new=details.get("new"))
    if action == AuditAction.ATTENDANCE_MARKED:
        status = label(AttendanceStatus, details.get("status"))
        return _("tillfälle %(session)s: %(status)s", session=details.get("session"), status=status)
    if action == AuditAction.SESSION_REOPENED:
        return _("tillfälle %(session)s: %(reason)s", session=details.get("session"),
                 reason=details.get("reason", ""))  # fmt: skip
    if action == AuditAction.CERTIFICATE_REVOKED:
        return _("intyg %(code)s: %(reason)s", code=details.get("code"),
                 reason=details.get("reason", ""))  # fmt: skip
    if action == AuditAction.TARGETS_SET:
        return _("medarbetare: %(staff)s, mötesagenter: %(agents)s",
                 staff=details.get("staff"), agents=details.get("agents") or "–")  # fmt: skip
    if action == AuditAction.PERSON_ERASED:
        return (
            _("enligt gallringsregeln") if details.get("rule") == "retention" else _("på begäran")
        )
    return ", ".join(f"{key}: {value}" for key, value in details.items())
