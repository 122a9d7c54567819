"""API tokens: created by users or `flask users token`, stored only as a hash, revocable."""

import hashlib
import logging
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.time import utcnow
from app.extensions import UTCDateTime, db

log = logging.getLogger(__name__)
PREFIX = "vmr_"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is kept, so a leaked database leaks no tokens."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> str:
    """A new token for the user; the plain value is shown once and never stored."""
    token = PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user_id=user.id, name=name.strip()[:100] or "API", token_hash=_digest(token))
    )
    db.session.commit()
    log.info("API token '%s' created for %s", name, user.email)
    return token


def user_for_token(token: str) -> User | None:
    """The active user behind a valid, unrevoked token (and note that it was used)."""
    row = db.session.scalar(
        db.select(ApiToken).where(
            ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    db.session.commit()
    return row.user


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
