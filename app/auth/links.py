"""Personal, signed, single-use links: account activation (14 days) and password reset (2 hours).

A link carries the person's id and a fingerprint of their password and session version; setting
a password changes both, so a link works once. Nothing is stored: a link is valid while its
signature, age and fingerprint hold.
"""

import hashlib
from datetime import timedelta
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.models import User
from app.core.errors import DomainError
from app.core.urls import external_url
from app.extensions import db


class LinkPurpose(StrEnum):
    """What a link is for; each has its own signature salt and lifetime."""

    ACTIVATE = "activate"
    RESET = "reset"


MAX_AGE = {LinkPurpose.ACTIVATE: timedelta(days=14), LinkPurpose.RESET: timedelta(hours=2)}
ENDPOINT = {LinkPurpose.ACTIVATE: "auth.activate", LinkPurpose.RESET: "auth.reset_password"}


class LinkProblem(DomainError):
    """A link that cannot be used: `reason` is expired, used or invalid; `user` when known."""

    def __init__(self, reason: str, user: User | None = None):
        super().__init__(reason)
        self.reason, self.user = reason, user


def _serializer(purpose: LinkPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"link-{purpose}")


def _fingerprint(user: User) -> str:
    material = f"{user.password_hash or ''}:{user.session_version}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def link_token(user: User, purpose: LinkPurpose) -> str:
    """A token for the person's link."""
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def link_url(user: User, purpose: LinkPurpose) -> str:
    """The whole address of the person's link (PUBLIC_BASE_URL when set)."""
    return external_url(ENDPOINT[purpose], token=link_token(user, purpose))


def user_for_link(token: str, purpose: LinkPurpose) -> User:
    """The person whose valid link this is.

    :raise LinkProblem: expired (with the person, to offer a new link), used, or invalid.
    """
    serializer = _serializer(purpose)
    try:
        data = serializer.loads(token, max_age=int(MAX_AGE[purpose].total_seconds()))
    except SignatureExpired as expired:
        user = _user_of(expired.payload, serializer)
        raise LinkProblem("expired", user) from None
    except BadSignature:
        raise LinkProblem("invalid") from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active:
        raise LinkProblem("invalid")
    if data.get("f") != _fingerprint(user):
        raise LinkProblem("used", user)
    return user


def _user_of(payload, serializer) -> User | None:
    try:
        data = serializer.load_payload(payload)
    except BadSignature:
        return None
    return db.session.get(User, data.get("u")) if isinstance(data, dict) else None
