"""Writes and checks of the auth domain: users, credentials, sessions, activation and reset."""

import logging

from flask import session
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from app.auth.links import LinkPurpose, link_url
from app.auth.models import SESSION_VERSION_KEY, User, hash_password
from app.auth.passwords import password_problems
from app.auth.tokens import revoke_all_tokens
from app.core.audit import AuditAction, audit_each
from app.core.events import account_link_issued
from app.core.time import utcnow
from app.extensions import db

log = logging.getLogger(__name__)
# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = hash_password("timing-equaliser")


def normalise_email(email: str) -> str:
    """Emails are unique regardless of case: store them trimmed and lowercase."""
    return email.strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for any failure)."""
    user = db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))
    if user is None or not user.password_hash:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def start_session(user: User) -> None:
    """Sign the person in with a fresh session that their next logout or password ends, and
    note the sign-in (the retention period of inactive accounts counts from it)."""
    session.clear()  # nothing from before the sign-in survives
    if not login_user(user):  # deactivated or erased: Flask-Login refuses (`is_active`)
        return
    session[SESSION_VERSION_KEY] = user.session_version
    user.last_seen_at = utcnow()
    db.session.commit()


def end_sessions(user: User) -> None:
    """End every session of the person, on every device (the caller commits)."""
    user.session_version += 1


def sign_out(user: User) -> None:
    """Logging out ends every session of the person, not just this browser's."""
    email = user.email  # `user` may be the current_user proxy, anonymous after logout_user
    end_sessions(user)
    db.session.commit()
    logout_user()
    session.clear()
    log.info("%s signed out everywhere", email)


def set_password_from_link(user: User, password: str) -> list[str]:
    """Set the password chosen through an activation or reset link, ending every other session
    and revoking the person's API tokens (a reset is how one recovers from a break-in; the link
    is used up with it); return the problems instead when the password is refused."""
    if user.erased_at is not None:  # an erased account never gets a password again
        return [str(_l("Länken är inte giltig. Kontrollera att hela adressen kom med."))]
    problems = password_problems(password, user.email, user.name)
    if problems:
        return problems
    user.set_password(password)
    end_sessions(user)
    revoke_all_tokens(user)
    db.session.commit()
    log.info("%s chose a password through a link", user.email)
    return []


def change_password(user: User, current: str, new: str) -> list[str]:
    """A signed-in person changes their password; every other session of theirs ends (the
    caller starts a fresh one for this browser). Returns the problems when refused."""
    if user.password_hash and not user.check_password(current):
        return [str(_l("Det nuvarande lösenordet stämmer inte."))]
    problems = password_problems(new, user.email, user.name)
    if problems:
        return problems
    user.set_password(new)
    end_sessions(user)
    db.session.commit()
    log.info("%s changed their password", user.email)
    return []


def send_activation_links(users: list[User], by: User | None = None) -> int:
    """Queue an activation e-mail for each active person without a password (1 commit); a
    coordinator's or admin's sending (`by`) goes into the audit log, one entry per person."""
    sent = []
    for user in users:
        if user.is_active and not user.password_hash:
            account_link_issued.send(
                user, purpose=LinkPurpose.ACTIVATE, link=link_url(user, LinkPurpose.ACTIVATE)
            )
            sent.append(user)
    if by is not None:
        audit_each(by, AuditAction.ACTIVATION_SENT, [(user, {}) for user in sent])
    db.session.commit()
    log.info("Queued %d activation link(s)", len(sent))
    return len(sent)


def request_password_reset(email: str) -> None:
    """E-mail a reset link (or, to someone who never chose a password, an activation link).

    The caller answers the same whether or not the address exists.
    """
    user = db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))
    if user is None or not user.is_active:
        log.info("Password reset asked for an unknown or inactive address")
        return
    if not user.password_hash:
        send_activation_links([user])
        return
    account_link_issued.send(
        user, purpose=LinkPurpose.RESET, link=link_url(user, LinkPurpose.RESET)
    )
    db.session.commit()
    log.info("Password reset link queued for %s", user.email)


def update_profile(user: User, name: str, locale: str) -> None:
    """A person's own name and interface language."""
    user.name, user.locale = name.strip(), locale
    db.session.commit()
    log.info("%s updated their profile", user.email)


def set_user_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    if user.locale != locale:
        user.locale = locale
        db.session.commit()
