"""The programme's vocabulary in the interface: one translated label per value of an enum (role,
audience, session kind and mode, attendance status, completion method, audit action), for pages
and exports alike.

Each domain registers its enum's labels beside the enum (`register_labels`), so the ground floor
knows no domain and a label is written once.
"""

from enum import StrEnum
from functools import partial

from flask import Flask

LABELS: dict[type[StrEnum], dict[str, object]] = {}
_TEMPLATE_NAMES: dict[str, type[StrEnum]] = {}


def register_labels(kind: type[StrEnum], labels: dict, template_name: str) -> None:
    """Declare every value's label of `kind`, shown in templates as `template_name(value)`."""
    missing = set(kind) - set(labels)
    if missing:
        raise ValueError(f"{kind.__name__}: no label for {sorted(missing)}")
    LABELS[kind] = labels
    _TEMPLATE_NAMES[template_name] = kind


def label(kind: type[StrEnum], value: str | None) -> str:
    """The translated label of a value of `kind`; an unknown value as it is."""
    if value is None:
        return ""
    return str(LABELS[kind].get(value, value))


def choices(kind: type[StrEnum]) -> list[tuple[str, object]]:
    """(value, label) pairs for a select field, in the enum's order."""
    return [(member.value, LABELS[kind][member]) for member in kind]


def init_app(app: Flask) -> None:
    """Make each registered label function (`role_label`, `action_label`, …) a template global."""
    app.jinja_env.globals.update(
        {name: partial(label, kind) for name, kind in _TEMPLATE_NAMES.items()}
    )
