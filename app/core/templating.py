"""Helpers available in every template."""

from flask import Flask
from flask_babel import get_locale


def init_app(app: Flask) -> None:
    """Register the template helpers."""

    @app.context_processor
    def helpers():
        return {
            "current_locale": lambda: str(get_locale() or "sv"),
        }
