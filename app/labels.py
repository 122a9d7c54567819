"""The programme's vocabulary in the interface: one translated label per role, audience,
session kind and mode, attendance status, completion method and audit action, for pages and
exports alike."""

from enum import StrEnum
from functools import partial

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.courses.models import Audience, CompletionMethod
from app.privacy.models import AuditAction
from app.training.models import AttendanceStatus, SessionKind, SessionMode

LABELS: dict[type[StrEnum], dict[str, object]] = {
    Role: {
        Role.EMPLOYEE: _l("medarbetare"),
        Role.AGENT: _l("mötesagent"),
        Role.COORDINATOR: _l("kommunkoordinator"),
        Role.ADMIN: _l("programkontoret"),
    },
    Audience: {
        Audience.AGENT: _l("För mötesagenter"),
        Audience.EMPLOYEE: _l("För alla medarbetare"),
    },
    SessionKind: {
        SessionKind.END_USER: _l("utbildningstillfälle"),
        SessionKind.AGENT_FOLLOW_UP: _l("uppföljningsmöte för mötesagenter"),
    },
    SessionMode: {
        SessionMode.ON_SITE: _l("På plats"),
        SessionMode.VIDEO: _l("Videorum"),
        SessionMode.WEB: _l("Webbmöte"),
    },
    AttendanceStatus: {
        AttendanceStatus.REGISTERED: _l("Anmäld"),
        AttendanceStatus.ATTENDED: _l("Närvarande"),
        AttendanceStatus.NO_SHOW: _l("Uteblev"),
    },
    CompletionMethod: {
        CompletionMethod.ONLINE: _l("online"),
        CompletionMethod.SESSION: _l("via tillfälle"),
    },
    AuditAction: {
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
    },
}


def label(kind: type[StrEnum], value: str | None) -> str:
    """The translated label of a value of `kind`; an unknown value as it is."""
    if value is None:
        return ""
    return str(LABELS[kind].get(value, value))


def choices(kind: type[StrEnum]) -> list[tuple[str, object]]:
    """(value, label) pairs for a select field, in the enum's order."""
    return [(member.value, LABELS[kind][member]) for member in kind]


def init_app(app: Flask) -> None:
    """Make `role_label`, `audience_label`, `kind_label`, `mode_label`, `status_label`,
    `method_label` and `action_label` available in every template."""
    app.jinja_env.globals.update(
        role_label=partial(label, Role),
        audience_label=partial(label, Audience),
        kind_label=partial(label, SessionKind),
        mode_label=partial(label, SessionMode),
        status_label=partial(label, AttendanceStatus),
        method_label=partial(label, CompletionMethod),
        action_label=partial(label, AuditAction),
    )
