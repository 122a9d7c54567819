"""The audit log in words: one translated label per action, and its details as a sentence."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.labels import label
from app.privacy.models import AuditAction, AuditEntry
from app.training.models import AttendanceStatus

ACTION_LABELS = {
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
}


def action_label(action: str) -> str:
    """The translated label of an action; an unknown one as it is."""
    return str(ACTION_LABELS.get(action, action))


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
