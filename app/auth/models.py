"""Users (their roles are `app.core.roles.Role`, imported here for the domains above)."""

from datetime import datetime

from flask import session
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.time import utcnow
from app.extensions import UTCDateTime, db, login_manager
from app.municipalities.models import Municipality


def hash_password(password: str) -> str:
    """An scrypt hash of the password."""
    return generate_password_hash(password, method="scrypt")


# Matches no password (it names no hash method), and counts as chosen, so nobody is offered
# an activation link for an erased account.
UNUSABLE_PASSWORD = "!"  # noqa: S105 - no password: a stored hash that matches none


class User(UserMixin, db.Model):
    """A person: employee, agent, coordinator (one municipality) or admin (none)."""

    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("role IN ('employee', 'agent', 'coordinator', 'admin')", name="role_known"),
        CheckConstraint(
            "role = 'admin' OR municipality_id IS NOT NULL", name="municipality_unless_admin"
        ),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    unit: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Raised by logout, a new password and deactivation: every session of the person ends.
    session_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last sign-in; the retention period of inactive accounts counts from it (DESIGN §5).
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Erased (GDPR): pseudonymised and never signs in again; `active` still says whether the
    # person counts in coverage, so erasing changes no figure (app.privacy.services).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    municipality: Mapped[Municipality | None] = relationship()

    @property
    def is_active(self) -> bool:
        """Deactivated and erased users cannot log in (Flask-Login asks this)."""
        return self.active and self.erased_at is None

    @classmethod
    def reachable(cls):
        """`is_active` in SQL: people who can sign in, be added to a session and get e-mail."""
        return (cls.active.is_(True)) & (cls.erased_at.is_(None))

    def set_password(self, password: str) -> None:
        """Store an scrypt hash of the password."""
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


SESSION_VERSION_KEY = "sv"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in user with their municipality in one query; a session from before the
    person's last logout, password change or deactivation is no longer theirs."""
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id), options=[joinedload(User.municipality)])
    if user is None or session.get(SESSION_VERSION_KEY) != user.session_version:
        return None
    return user
