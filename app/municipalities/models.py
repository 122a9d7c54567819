"""The municipality: one of Dalarna's 15, with its training targets and its own facts."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import utcnow
from app.extensions import UTCDateTime, db


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
    population: Mapped[int | None]  # splits the programme's baseline unless it is set
    baseline_mwh: Mapped[float | None]  # the programme office's own split of the baseline
    trip_km: Mapped[float | None]  # a replaced trip, there and back; else the programme's

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"


class MunicipalityFact(db.Model):
    """One of a municipality's own facts (see `facts.FACTS`), as its coordinator wrote it."""

    __tablename__ = "municipality_fact"
    __table_args__ = (UniqueConstraint("municipality_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    key: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
