"""The municipality: one of Dalarna's 15, with its training targets."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Municipality(db.Model):
    """A municipality with its official 4-digit code."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    staff_target: Mapped[int | None]
    # Set by a coordinator: a roster import then no longer replaces it with the roster's size.
    staff_target_explicit: Mapped[bool] = mapped_column(default=False)
    agent_target: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"
