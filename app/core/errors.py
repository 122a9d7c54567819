"""Friendly error pages; the 500 handler rolls back the failed transaction."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

MESSAGES = {
    400: _l("Begäran kunde inte tolkas. Gå tillbaka och försök igen."),
    403: _l("Du har inte behörighet att se den här sidan."),
    404: _l("Sidan finns inte, eller så har du inte tillgång till den."),
    405: _l("Den här adressen tar inte emot den sortens begäran."),
    429: _l("För många försök på kort tid. Vänta en stund och försök igen."),
    500: _l("Något gick fel hos oss. Försök igen om en stund."),
}
TITLES = {
    400: _l("Felaktig begäran"),
    403: _l("Ingen behörighet"),
    404: _l("Sidan hittades inte"),
    405: _l("Metoden är inte tillåten"),
    429: _l("För många försök"),
    500: _l("Ett fel uppstod"),
}


def render_error(status: int, message: str | None = None) -> tuple[str, int]:
    """Render the shared error template for a status code (a generic text for rarer ones)."""
    known = status if status in TITLES else (400 if 400 <= status < 500 else 500)
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=TITLES[known],
            message=message or MESSAGES[known],
        ),
        status,
    )


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        """The form's security token was missing or stale."""
        problem = _("Formulärets säkerhetstoken saknas eller har gått ut.")
        remedy = _("Ladda om sidan och försök igen.")
        return render_error(400, f"{problem} {remedy}")

    @app.before_request
    def refuse_nul_bytes():
        """A NUL byte in the URL or a form is never legitimate (and PostgreSQL rejects it)."""
        values = [request.path, *request.args.values()]
        if request.method == "POST" and request.mimetype in FORM_TYPES:
            values.extend(request.form.values())
        if any("\x00" in value for value in values):
            return render_error(400)
        return None

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Any HTTP error: the friendly page with the same status."""
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        """An unexpected exception: roll back, log, apologise."""
        db.session.rollback()
        app.logger.exception("Unhandled exception", exc_info=error)
        return render_error(500)
