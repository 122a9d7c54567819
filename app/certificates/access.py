"""Who may see, list, print and revoke certificates: the certificates domain's access rules."""

from dataclasses import dataclass

from app.auth.models import Role, User
from app.certificates.models import Certificate


@dataclass(frozen=True)
class Scope:
    """The certificates a list may hold: one municipality's, or every one (None)."""

    municipality_id: int | None

    @classmethod
    def everywhere(cls) -> "Scope":
        """The programme office's scope (also the CLI's)."""
        return cls(None)


def scope_of(viewer: User) -> Scope:
    """Admins list every municipality's certificates; a coordinator their own."""
    return Scope.everywhere() if viewer.role == Role.ADMIN else Scope(viewer.municipality_id)


def may_list(viewer: User) -> bool:
    """Coordinators and admins list, print and export certificates."""
    return viewer.role in (Role.COORDINATOR, Role.ADMIN)


def may_see(viewer: User, certificate: Certificate) -> bool:
    """The holder, the coordinator of the certificate's municipality, or an admin."""
    if viewer.role == Role.ADMIN or certificate.user_id == viewer.id:
        return True
    return viewer.role == Role.COORDINATOR and viewer.municipality_id == certificate.municipality_id


def may_revoke(viewer: User, certificate: Certificate) -> bool:
    """The coordinator of the certificate's municipality, or an admin."""
    return may_list(viewer) and may_see(viewer, certificate)
