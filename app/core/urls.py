"""Absolute addresses for e-mail, PDFs and QR codes: one rule for where links point."""

from flask import current_app, g, has_request_context, request

FALLBACK_BASE = "http://127.0.0.1:5000"


def public_base() -> str:
    """PUBLIC_BASE_URL when set; else the request's own address (in a background job, the
    address of the request that started it; elsewhere the local development server's)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return g.get("public_base") or FALLBACK_BASE


def external_url(endpoint: str, **values) -> str:
    """The absolute address of an endpoint, built without needing a request."""
    path = current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)
    return public_base() + path
