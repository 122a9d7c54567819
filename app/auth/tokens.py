"""API tokens: created by users or `flask users token`, stored only as a hash, revocable; they
may expire and may be limited to reading."""

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.time import utcnow
from app.extensions import UTCDateTime, db

log = logging.getLogger(__name__)
PREFIX = "vmr_"  # noqa: S105 - not a password: the prefix that makes a token recognisable
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # what a read-only token may send


class TokenScope(StrEnum):
    """What a token may do."""

    READ = "read"  # read only (GET, HEAD, OPTIONS)
    WRITE = "write"  # everything its user may do


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is kept, so a leaked database leaks no tokens."""

    __tablename__ = "api_token"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write')", name="scope_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: until revoked
    scope: Mapped[str] = mapped_column(
        String(10), default=TokenScope.WRITE, server_default=TokenScope.WRITE
    )

    user: Mapped[User] = relationship()

    def allows(self, method: str) -> bool:
        """Whether the token may send a request with this HTTP method (read-only: safe ones)."""
        return self.scope == TokenScope.WRITE or method.upper() in SAFE_METHODS


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str, days: int | None = None, read_only: bool = False) -> str:
    """A new token for the user, valid for `days` (else until revoked), read-only if asked;
    the plain value is shown once and never stored."""
    token = PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            user_id=user.id,
            name=name.strip()[:100] or "API",
            token_hash=_digest(token),
            expires_at=utcnow() + timedelta(days=days) if days else None,
            scope=TokenScope.READ if read_only else TokenScope.WRITE,
        )
    )
    db.session.commit()
    log.info(
        "API token '%s' created for %s (%s, %s)", name, user.email,
        "read-only" if read_only else "read-write",
        f"expires in {days} days" if days else "no expiry",
    )  # fmt: skip
    return token


def active_token(token: str) -> ApiToken | None:
    """The token if it is known, unrevoked, unexpired and its user active (noting its use)."""
    row = db.session.scalar(
        db.select(ApiToken).where(
            ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None)
        )
    )
    now = utcnow()
    if row is None or not row.user.active or (row.expires_at and row.expires_at <= now):
        return None
    row.last_used_at = now
    db.session.commit()
    return row


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(
        db.session.scalars(
            db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when there is no such token of theirs."""
    row = db.session.scalar(db.select(ApiToken).filter_by(id=token_id, user_id=user.id))
    if row is None:
        return False
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
    return True


def revoke_all_tokens(user: User) -> int:
    """Revoke every token of the person (after a password reset); the caller commits."""
    return db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
