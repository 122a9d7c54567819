"""Helpers available in every template."""

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "employee": _l("medarbetare"),
    "agent": _l("mötesagent"),
    "coordinator": _l("kommunkoordinator"),
    "admin": _l("programkontoret"),
}
AUDIENCE_LABELS = {"agent": _l("För mötesagenter"), "employee": _l("För alla medarbetare")}


def init_app(app: Flask) -> None:
    """Register the template helpers."""

    @app.context_processor
    def helpers():
        return {
            "current_locale": lambda: str(get_locale() or "sv"),
            "role_label": lambda role: ROLE_LABELS.get(role, role),
            "audience_label": lambda audience: AUDIENCE_LABELS.get(audience, audience),
        }
