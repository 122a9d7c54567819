"""Who sees which municipality: the programme office every one, everyone else their own.

The one statement of that rule. Pages, queries, exports, the API and jobs take a `Scope`
(`Scope.of(user)`, or `Scope.everywhere()` for the command line) and filter with `where`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, false, true

from app.core.roles import Role

if TYPE_CHECKING:
    from app.auth.models import User


@dataclass(frozen=True)
class Scope:
    """Every municipality (`municipality_id` None) or one; a person without one sees none."""

    municipality_id: int | None
    nothing: bool = False

    @classmethod
    def everywhere(cls) -> Scope:
        """The programme office's scope (also the command line's)."""
        return cls(None)

    @classmethod
    def of(cls, user: User) -> Scope:
        """Admins see every municipality; everyone else only their own."""
        if user.role == Role.ADMIN:
            return cls.everywhere()
        if user.municipality_id is None:
            return cls(None, nothing=True)
        return cls(user.municipality_id)

    @property
    def every(self) -> bool:
        """True for the programme office's scope: every municipality."""
        return self.municipality_id is None and not self.nothing

    def covers(self, municipality_id: int | None) -> bool:
        """True when a thing of this municipality is in scope."""
        return self.every or (not self.nothing and municipality_id == self.municipality_id)

    def where(self, municipality_column) -> ColumnElement[bool]:
        """The SQL condition for rows whose municipality column is in scope."""
        if self.nothing:
            return false()
        return true() if self.every else municipality_column == self.municipality_id


def may_see_every_municipality(user: User) -> bool:
    """The list of all municipalities (and the programme's totals) is the programme office's."""
    return Scope.of(user).every
