"""Helpers available in every template."""

from flask import Flask
from flask_babel import format_percent, get_locale


def percent(value: float | None) -> str:
    """Percent points as text in the page's language, rounded to whole points: 70 → "70 %" in
    Swedish (with a no-break space, so the sign never wraps onto a line of its own), "70%" in
    English. None (no figure) is "–"."""
    if value is None:
        return "–"
    return format_percent(value / 100)


def init_app(app: Flask) -> None:
    """Register the template helpers."""
    app.add_template_filter(percent, "percent")

    @app.context_processor
    def helpers():
        return {
            "current_locale": lambda: str(get_locale() or "sv"),
        }
