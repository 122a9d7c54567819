"""Who may see, list, print and revoke certificates: the certificates domain's access rules."""

from app.auth.models import User
from app.certificates.models import Certificate
from app.core.roles import Role
from app.core.scope import Scope


def scope_of(viewer: User) -> Scope:
    """The certificates a list may hold: the viewer's `Scope` (every one for admins)."""
    return Scope.of(viewer)


def may_list(viewer: User) -> bool:
    """Coordinators and admins list, print and export certificates."""
    return viewer.role in (Role.COORDINATOR, Role.ADMIN)


def may_see(viewer: User, certificate: Certificate) -> bool:
    """The holder, the coordinator of the certificate's municipality, or an admin."""
    if certificate.user_id == viewer.id:
        return True
    return may_list(viewer) and Scope.of(viewer).covers(certificate.municipality_id)


def may_revoke(viewer: User, certificate: Certificate) -> bool:
    """The coordinator of the certificate's municipality, or an admin."""
    return may_list(viewer) and may_see(viewer, certificate)
