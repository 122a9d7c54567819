"""The four roles, on the ground floor because who sees what (`app.core.scope`) turns on them."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.core.labels import register_labels


class Role(StrEnum):
    """Employee, meeting agent, municipal coordinator and the programme office (admin)."""

    EMPLOYEE = "employee"
    AGENT = "agent"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


register_labels(
    Role,
    {
        Role.EMPLOYEE: _l("medarbetare"),
        Role.AGENT: _l("mötesagent"),
        Role.COORDINATOR: _l("kommunkoordinator"),
        Role.ADMIN: _l("programkontoret"),
    },
    "role_label",
)
