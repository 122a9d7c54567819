"""Friendly error pages (JSON where an area such as the API asks for it); the 500 handler rolls
back the failed transaction."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, SecurityError

from app.extensions import db

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_AREAS = "json_error_areas"  # app.extensions key: path prefix → the area's error handler
# Headers an error carries that the answer keeps (405 says what is allowed, 429 when to retry).
KEPT_HEADERS = ("Allow", "Retry-After")

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


def answer_json_under(app: Flask, prefix: str, handler: Callable[[HTTPException], Response]):
    """Let an area (the API) answer every error under a path prefix itself, even a 404 for a
    path no route matches and a 500."""
    app.extensions.setdefault(JSON_AREAS, {})[prefix] = handler


def _area_handler() -> Callable[[HTTPException], Response] | None:
    for prefix, handler in current_app.extensions.get(JSON_AREAS, {}).items():
        if request.path.startswith(prefix):
            return handler
    return None


def _answer(error: HTTPException, message: str | None = None):
    """The area's answer to an HTTP error, or the friendly page, keeping `Allow`/`Retry-After`."""
    handler = _area_handler()
    if handler is not None:
        response = handler(error)
    else:
        body, status = render_error(error.code or 500, message)
        response = current_app.make_response((body, status))
    for name, value in error.get_headers():
        if name in KEPT_HEADERS:
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors, CSRF failures, unknown hosts and unexpected
    exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        """The form's security token was missing or stale."""
        problem = _("Formulärets säkerhetstoken saknas eller har gått ut.")
        remedy = _("Ladda om sidan och försök igen.")
        return _answer(error, f"{problem} {remedy}")

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        """A Host header outside TRUSTED_HOSTS: no page (nothing can build links for it)."""
        if (handler := _area_handler()) is not None:
            return handler(BadRequest("unknown host"))
        return _("Den här adressen hör inte till tjänsten."), 400, {
            "Content-Type": "text/plain; charset=utf-8"
        }  # fmt: skip

    @app.before_request
    def refuse_nul_bytes():
        """A NUL byte in the URL or a form is never legitimate (and PostgreSQL rejects it)."""
        values = [request.path, *request.args.values()]
        if request.method == "POST" and request.mimetype in FORM_TYPES:
            values.extend(request.form.values())
        if any("\x00" in value for value in values):
            return _answer(BadRequest("NUL byte in the request"))
        return None

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Any HTTP error: the friendly page (or the area's JSON) with the same status."""
        return _answer(error)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        """An unexpected exception: roll back, log, apologise."""
        db.session.rollback()
        app.logger.exception("Unhandled exception", exc_info=error)
        return _answer(InternalServerError())


class DomainError(Exception):
    """A use case refused what was asked; the message says why, in words for the person who
    asked (pages show it beside the form, the CLI prints it, the API returns it)."""

    @property
    def message(self) -> str:
        """The reason: as a subclass set it, else as given."""
        if "_message" in self.__dict__:
            return self._message
        return str(self.args[0]) if self.args else ""

    @message.setter
    def message(self, value) -> None:
        self._message = value


@contextmanager
def one_transaction() -> Iterator[None]:
    """The writes of one use case, with everything its events' subscribers write: committed
    together when the block ends, or all rolled back and the error raised again."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
