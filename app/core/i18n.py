"""Language choice: the user's setting, then the language cookie, then Swedish."""

from flask import current_app, has_request_context, request
from flask_login import current_user

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """Return the locale for this request; Swedish unless the user chose English."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI and background work speak Swedish
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Everyone in the programme lives in Dalarna."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
