"""The meeting log (travel-free meetings and the trips they replaced) and the energy factors."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import UTCDateTime, db
from app.municipalities.models import Municipality


class MeetingForm(StrEnum):
    """How a travel-free meeting was held."""

    VIDEO_ROOM = "video_room"
    JABBER = "jabber"
    WEB = "web"
    PHONE = "phone"


class MeetingSource(StrEnum):
    """How an entry reached the log."""

    FORM = "form"
    IMPORT = "import"
    API = "api"


class TravelFreeMeeting(db.Model):
    """One log entry: a meeting (or, from statistics, `meetings` of them) held without travel.

    `km_avoided` None means trips × the municipality's default distance. A correction never
    edits an entry: it writes a new one and marks the old `replaced_at`, so history stays and
    every figure counts only entries not replaced.
    """

    __tablename__ = "travel_free_meeting"
    __table_args__ = (
        CheckConstraint("form IN ('video_room', 'jabber', 'web', 'phone')", name="form_known"),
        CheckConstraint("source IN ('form', 'import', 'api')", name="source_known"),
        CheckConstraint(
            "meetings >= 1 AND participants >= 0 AND trips_avoided >= 0 "
            "AND (km_avoided IS NULL OR km_avoided >= 0)",
            name="counts_not_negative",
        ),
        Index("ix_travel_free_meeting_current", "municipality_id", "held_on", "replaced_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    held_on: Mapped[date] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(20))
    meetings: Mapped[int] = mapped_column(default=1)
    participants: Mapped[int] = mapped_column(default=0)
    trips_avoided: Mapped[int] = mapped_column(default=0)
    km_avoided: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default=MeetingSource.FORM)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("travel_free_meeting.id"))

    municipality: Mapped[Municipality] = relationship()


class EnergyFactors(db.Model):
    """The conversion from km not travelled to energy saved, and the programme's baseline; one
    row, set by the programme office (defaults in `app.effect.factors`)."""

    __tablename__ = "energy_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    car_share: Mapped[float]  # share of replaced trips that would have been made by car
    car_kwh_per_km: Mapped[float]
    other_kwh_per_km: Mapped[float]  # bus and train, per person-km
    default_trip_km: Mapped[float]  # a replaced trip, there and back, when no km is given
    baseline_mwh: Mapped[float]  # the programme's yearly travel energy before it began
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
