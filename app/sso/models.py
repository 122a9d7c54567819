"""A municipality's own identity provider (OpenID Connect)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import UTCDateTime, db
from app.municipalities.models import Municipality


class SsoProvider(db.Model):
    """One municipality's OpenID Connect provider, chosen by the email domains it answers for."""

    __tablename__ = "sso_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), unique=True)
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    client_secret: Mapped[str] = mapped_column(String(500))
    # Lowercase, e.g. ["falun.se"]; a domain belongs to at most one provider (the services check).
    email_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Whether a person missing from the roster becomes an employee at their first sign-in.
    create_unknown: Mapped[bool] = mapped_column(default=False)
    # The provider is the municipality's own directory, authoritative for its domains (as
    # Microsoft Entra ID is for its verified domains, though it sends no `email_verified`).
    trusts_domain_emails: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    municipality: Mapped[Municipality] = relationship()

    def __repr__(self) -> str:
        return f"<SsoProvider {self.issuer} {self.email_domains}>"
