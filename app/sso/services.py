"""Writes and checks of signing in with the municipality's own accounts: registering a provider,
choosing it by the email's domain, and deciding who the provider's verified claims sign in."""

import logging
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.auth.services import normalise_email
from app.core.errors import DomainError
from app.core.roles import Role
from app.core.validation import has_hidden_characters
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.services import add_person
from app.sso.models import SsoProvider

log = logging.getLogger(__name__)

# A DNS name in ASCII (IDNA) form, with at least two labels: "falun.se", "xn--lvdalen-4wa.se".
DOMAIN = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
NAME_MAX = 200  # User.name


class ProviderError(DomainError, ValueError):
    """A provider could not be added or removed; the message says why."""


class SignInProblem(StrEnum):
    """Why a sign-in with the municipality's own account did not happen (one failure page each)."""

    # The provider vouched for someone we may not sign in (raised by `complete_sign_in`).
    NO_EMAIL = "no_email"
    EMAIL_UNVERIFIED = "email_unverified"
    FOREIGN_DOMAIN = "foreign_domain"
    NOT_ON_ROSTER = "not_on_roster"
    OTHER_MUNICIPALITY = "other_municipality"
    DEACTIVATED = "deactivated"
    # The round trip itself failed (found by the routes).
    DENIED = "denied"
    PROVIDER_ERROR = "provider_error"
    UNREACHABLE = "unreachable"
    EXPIRED = "expired"


class SignInRefused(DomainError):
    """The provider's claims do not sign anyone in here; `reason` is a `SignInProblem`."""

    def __init__(self, reason: SignInProblem, email: str = "") -> None:
        super().__init__(f"{reason}: {email}" if email else str(reason))
        self.reason = reason
        self.email = email


def normalise_domain(domain: str) -> str | None:
    """The domain in lowercase ASCII form ("Älvdalen.se" → "xn--lvdalen-4wa.se") or None."""
    domain = domain.strip().lower().removeprefix("@").removesuffix(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return domain if DOMAIN.match(domain) else None


def email_domain(email: str) -> str | None:
    """The normalised domain of an email address, or None when there is none."""
    _, at, domain = normalise_email(email).rpartition("@")
    return normalise_domain(domain) if at else None


def any_provider() -> bool:
    """True when some municipality signs in with its own accounts (1 query)."""
    return db.session.scalar(db.select(SsoProvider.id).limit(1)) is not None


def all_providers() -> list[SsoProvider]:
    """Every provider with its municipality, by municipality code (1 query)."""
    return list(
        db.session.scalars(
            db.select(SsoProvider)
            .join(SsoProvider.municipality)
            .options(joinedload(SsoProvider.municipality))
            .order_by(Municipality.code)
        )
    )


def provider_for_email(email: str) -> SsoProvider | None:
    """The provider that answers for the email's domain, or None (1 small query)."""
    domain = email_domain(email)
    if domain is None:
        return None
    return next((p for p in all_providers() if domain in p.email_domains), None)


def _check_issuer(issuer: str) -> str:
    """The issuer URL, trimmed.

    :raise ProviderError: not an https URL (plain http is allowed on this machine only), or it
        carries a query or fragment.
    """
    issuer = issuer.strip()
    try:
        parts = urlsplit(issuer)
        host = parts.hostname
    except ValueError:
        host = None
    if not host or parts.query or parts.fragment:
        raise ProviderError(f"'{issuer}' is not an issuer URL (e.g. https://login.example.se)")
    if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK_HOSTS):
        raise ProviderError(f"the issuer URL '{issuer}' must use https")
    return issuer


def _check_domains(domains: Iterable[str], municipality: Municipality) -> list[str]:
    """The domains, normalised and without repeats.

    :raise ProviderError: none given, one is not a domain name, or one belongs to another
        municipality's provider.
    """
    checked: list[str] = []
    for given in domains:
        domain = normalise_domain(given)
        if domain is None:
            raise ProviderError(f"'{given}' is not an email domain (e.g. falun.se)")
        if domain not in checked:
            checked.append(domain)
    if not checked:
        raise ProviderError("give at least one email domain (--domain falun.se)")
    for other in all_providers():
        taken = sorted(set(checked) & set(other.email_domains))
        if taken and other.municipality_id != municipality.id:
            raise ProviderError(
                f"the domain '{taken[0]}' already belongs to the provider of "
                f"{other.municipality.name} ({other.municipality.code})"
            )
    return checked


def _municipality(code: str) -> Municipality:
    """The municipality with this code.

    :raise ProviderError: no such municipality.
    """
    municipality = db.session.scalar(db.select(Municipality).filter_by(code=code.strip()))
    if municipality is None:
        raise ProviderError(f"unknown municipality code '{code}'")
    return municipality


def add_provider(
    code: str,
    issuer: str,
    client_id: str,
    client_secret: str,
    domains: Iterable[str],
    create_unknown: bool = False,
    trusts_domain_emails: bool = False,
) -> SsoProvider:
    """Register a municipality's OpenID Connect provider for the given email domains.

    :raise ProviderError: unknown municipality, it already has a provider, a bad issuer URL, an
        empty client id or secret, or a bad or taken domain.
    """
    municipality = _municipality(code)
    existing = db.session.scalar(db.select(SsoProvider).filter_by(municipality=municipality))
    if existing is not None:
        raise ProviderError(
            f"{municipality.name} ({municipality.code}) already has a provider; "
            f"remove it first (flask sso remove {municipality.code})"
        )
    issuer = _check_issuer(issuer)
    if not client_id.strip():
        raise ProviderError("the client id must not be empty")
    if not client_secret.strip():
        raise ProviderError("the client secret must not be empty")
    provider = SsoProvider(
        municipality=municipality,
        issuer=issuer,
        client_id=client_id.strip(),
        client_secret=client_secret.strip(),
        email_domains=_check_domains(domains, municipality),
        create_unknown=create_unknown,
        trusts_domain_emails=trusts_domain_emails,
    )
    db.session.add(provider)
    db.session.commit()
    log.info(
        "Added the sign-in provider %s of %s for %s (create unknown: %s)",
        issuer,
        municipality.code,
        ", ".join(provider.email_domains),
        create_unknown,
    )
    return provider


def remove_provider(code: str) -> SsoProvider:
    """Remove a municipality's provider; its people keep their accounts (and any password).

    :raise ProviderError: unknown municipality, or it has no provider.
    """
    municipality = _municipality(code)
    provider = db.session.scalar(db.select(SsoProvider).filter_by(municipality=municipality))
    if provider is None:
        raise ProviderError(f"{municipality.name} ({municipality.code}) has no provider to remove")
    db.session.delete(provider)
    db.session.commit()
    log.info("Removed the sign-in provider %s of %s", provider.issuer, municipality.code)
    return provider


def _claimed_name(claims: Mapping[str, Any], email: str) -> str:
    """The person's name as the provider gives it, else the email's local part."""
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = (claims.get("given_name"), claims.get("family_name"))
        name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    # Invisible control characters (bidi overrides, zero-width) are dropped, as forms refuse them.
    name = "".join(char for char in name if not has_hidden_characters(char))
    return (name.strip() or email.partition("@")[0])[:NAME_MAX]


def _refuse(provider: SsoProvider, reason: SignInProblem, email: str = "") -> SignInRefused:
    """Log a refused sign-in and build its error."""
    log.info(
        "Refused a sign-in through the provider of %s: %s %s",
        provider.municipality.code,
        reason,
        email,
    )
    return SignInRefused(reason, email)


def complete_sign_in(provider: SsoProvider, claims: Mapping[str, Any]) -> User:
    """The person that the provider's verified ID-token claims sign in, or a new employee.

    That is the roster person with the claimed email in the provider's municipality; a new
    employee of that municipality only when the provider creates unknown people.

    :raise SignInRefused: no email claim, an unverified email, a domain the provider does not
        answer for, no such person (and no creating), a person of another municipality, or a
        deactivated account.
    """
    raw_email = claims.get("email")
    email = normalise_email(raw_email) if isinstance(raw_email, str) else ""
    if "@" not in email:
        raise _refuse(provider, SignInProblem.NO_EMAIL)
    # Only a provider's word that the address is verified makes it an identity ("true" as a
    # string is what some providers send).
    verified = claims.get("email_verified") in (True, "true")
    if not (verified or provider.trusts_domain_emails):
        raise _refuse(provider, SignInProblem.EMAIL_UNVERIFIED, email)
    # A provider vouches only for its own domains, never for another municipality's addresses.
    if email_domain(email) not in provider.email_domains:
        raise _refuse(provider, SignInProblem.FOREIGN_DOMAIN, email)
    user = db.session.scalar(db.select(User).filter_by(email=email))
    if user is None:
        if not provider.create_unknown:
            raise _refuse(provider, SignInProblem.NOT_ON_ROSTER, email)
        user = add_person(email, _claimed_name(claims, email), Role.EMPLOYEE,
                          provider.municipality, by=None)  # fmt: skip
        db.session.commit()
        log.info("Created employee %s of %s at first sign-in", email, provider.municipality.code)
        return user
    if user.municipality_id != provider.municipality_id:
        raise _refuse(provider, SignInProblem.OTHER_MUNICIPALITY, email)
    if not user.active:
        raise _refuse(provider, SignInProblem.DEACTIVATED, email)
    log.info("%s signed in through the provider of %s", email, provider.municipality.code)
    return user
