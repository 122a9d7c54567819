"""Security headers, the safe-redirect check and the keys of per-person rate limits."""

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PUBLIC_ENDPOINTS = frozenset({"static", "core.healthz"})  # never personal, whoever asks


def is_safe_redirect(target: str | None) -> bool:
    """True for a path on this site ("/courses"), false for other hosts or schemes."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def configured_limit(key: str) -> Callable[[], str]:
    """A rate limit read from the configuration at request time (operators and tests set it)."""
    return lambda: current_app.config[key]


def person_or_address() -> str:
    """The rate-limit key of the signed-in person (from any address), else the client address."""
    if current_user.is_authenticated:
        return f"person:{current_user.get_id()}"
    return get_remote_address()


def failed(response: Response) -> bool:
    """Only failed attempts count against a limit; a success redirects (302)."""
    return response.status_code != 302


def _signed_in() -> bool:
    """Whether the request comes from someone signed in (a session or a bearer token)."""
    user = g.get("_login_user")
    if user is not None:
        return bool(user.is_authenticated)
    # The user was never loaded: judge by the credentials sent, without a database query.
    return "_user_id" in session or "Authorization" in request.headers


def add_security_headers(response: Response) -> Response:
    """Set a strict CSP and the usual hardening headers on every response; HSTS in production;
    `no-store` on everything answered to someone signed in, so no cache keeps it."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if hsts := current_app.config.get("STRICT_TRANSPORT_SECURITY"):
        headers.setdefault("Strict-Transport-Security", hsts)
    if request.endpoint not in PUBLIC_ENDPOINTS and _signed_in():
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Attach the headers hook."""
    app.after_request(add_security_headers)
