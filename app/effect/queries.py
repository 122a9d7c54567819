"""Reads of the meeting log: effect per municipality, per month, in total; each a fixed number of
queries, SQL aggregates over the current entries (see `factors`)."""

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import and_, func

from app.auth.models import User
from app.core import keyset
from app.core.roles import Role
from app.core.scope import may_see_every_municipality
from app.core.time import STOCKHOLM, utcnow
from app.effect.factors import (
    GOAL_2015,
    GOAL_2020,
    Factors,
    baselines,
    current,
    current_factors,
    km_of,
)
from app.effect.models import TravelFreeMeeting
from app.extensions import db
from app.municipalities.models import Municipality
from app.reports.queries import coverage_by_municipality

PAGE_SIZE = 50


def this_year(now: datetime | None = None) -> int:
    """The calendar year in Sweden now."""
    return (now or utcnow()).astimezone(STOCKHOLM).year


def _in_year(year: int):
    return and_(TravelFreeMeeting.held_on >= date(year, 1, 1),
                TravelFreeMeeting.held_on <= date(year, 12, 31))  # fmt: skip


@dataclass(frozen=True)
class Effect:
    """Travel-free meetings and what they saved, against a baseline (a municipality or all)."""

    code: str | None
    name: str
    meetings: int
    trips_avoided: int
    km_avoided: float
    baseline_mwh: float
    factors: Factors
    population: int = 0

    @property
    def mwh_saved(self) -> float:
        """The travel energy the meetings saved, in MWh."""
        return self.factors.mwh(self.km_avoided)

    @property
    def goal_2015_mwh(self) -> float:
        """The programme's goal for 2015: 20 % of the baseline."""
        return self.baseline_mwh * GOAL_2015

    @property
    def goal_2020_mwh(self) -> float:
        """The programme's goal for 2020: 40 % of the baseline."""
        return self.baseline_mwh * GOAL_2020

    @property
    def share_of_baseline(self) -> float:
        """MWh saved as a share of the baseline (0.2 meets the 2015 goal)."""
        return self.mwh_saved / self.baseline_mwh if self.baseline_mwh else 0.0

    def as_json(self) -> dict:
        """The API's shape (DESIGN §6)."""
        return {
            "code": self.code, "name": self.name, "meetings": self.meetings,
            "trips_avoided": self.trips_avoided, "km_avoided": round(self.km_avoided, 1),
            "mwh_saved": round(self.mwh_saved, 3), "baseline_mwh": round(self.baseline_mwh, 1),
            "goal_2015_mwh": round(self.goal_2015_mwh, 1),
            "goal_2020_mwh": round(self.goal_2020_mwh, 1),
        }  # fmt: skip


def effect_by_municipality(year: int, only: Municipality | None = None) -> list[Effect]:
    """Every municipality's effect in the year (or `only` that one's), in name order (3 queries:
    the factors, the municipalities, the sums)."""
    factors = current_factors()
    municipalities = db.session.scalars(db.select(Municipality).order_by(Municipality.name)).all()
    base = baselines(factors, municipalities)
    sums = {
        municipality_id: (meetings, trips, km)
        for municipality_id, meetings, trips, km in db.session.execute(
            db.select(
                TravelFreeMeeting.municipality_id,
                func.sum(TravelFreeMeeting.meetings),
                func.sum(TravelFreeMeeting.trips_avoided),
                func.sum(km_of(factors)),
            )
            .join(Municipality, Municipality.id == TravelFreeMeeting.municipality_id)
            .where(current(), _in_year(year),
                   *([TravelFreeMeeting.municipality_id == only.id] if only else []))
            .group_by(TravelFreeMeeting.municipality_id)
        )
    }  # fmt: skip
    return [
        Effect(m.code, m.name, int(sums.get(m.id, (0, 0, 0))[0] or 0),
               int(sums.get(m.id, (0, 0, 0))[1] or 0), float(sums.get(m.id, (0, 0, 0))[2] or 0),
               base[m.id], factors, m.population or 0)
        for m in municipalities
        if only is None or m.id == only.id
    ]  # fmt: skip


def effect_for(viewer: User, year: int) -> list[Effect]:
    """The municipalities the viewer may follow: all for admins, else their own."""
    if may_see_every_municipality(viewer):
        return effect_by_municipality(year)
    if viewer.role == Role.COORDINATOR and viewer.municipality is not None:
        return effect_by_municipality(year, only=viewer.municipality)
    return []


def totals(rows: list[Effect], name: str = "") -> Effect:
    """The sum over municipalities (the programme's baseline when all are included)."""
    factors = rows[0].factors if rows else current_factors()
    return Effect(
        None, name, sum(r.meetings for r in rows), sum(r.trips_avoided for r in rows),
        sum(r.km_avoided for r in rows), sum(r.baseline_mwh for r in rows), factors,
        sum(r.population for r in rows),
    )  # fmt: skip


def _month(column):
    """'YYYY-MM' of a date, on SQLite and PostgreSQL alike."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


@dataclass(frozen=True)
class Month:
    """One month's meetings and what they saved."""

    month: str
    meetings: int
    trips_avoided: int
    km_avoided: float
    factors: Factors

    @property
    def mwh_saved(self) -> float:
        """The month's saving in MWh."""
        return self.factors.mwh(self.km_avoided)

    def as_json(self) -> dict:
        """The API's shape."""
        return {"month": self.month, "meetings": self.meetings,
                "trips_avoided": self.trips_avoided, "km_avoided": round(self.km_avoided, 1),
                "mwh_saved": round(self.mwh_saved, 3)}  # fmt: skip


def by_month(year: int, municipality: Municipality | None = None) -> list[Month]:
    """Each month of the year up to now, with its sums (2 queries); months without meetings
    count as zero, so the months always add up to the year."""
    factors = current_factors()
    month = _month(TravelFreeMeeting.held_on)
    where = [current(), _in_year(year)]
    if municipality is not None:
        where.append(TravelFreeMeeting.municipality_id == municipality.id)
    rows = {
        key: (meetings, trips, km)
        for key, meetings, trips, km in db.session.execute(
            db.select(month, func.sum(TravelFreeMeeting.meetings),
                      func.sum(TravelFreeMeeting.trips_avoided), func.sum(km_of(factors)))
            .join(Municipality, Municipality.id == TravelFreeMeeting.municipality_id)
            .where(*where)
            .group_by(month)
        )
    }  # fmt: skip
    today = utcnow().astimezone(STOCKHOLM).date()
    last = 12 if year < today.year else today.month
    keys = sorted({f"{year}-{number:02d}" for number in range(1, last + 1)} | set(rows))
    return [
        Month(key, int(rows.get(key, (0, 0, 0))[0] or 0), int(rows.get(key, (0, 0, 0))[1] or 0),
              float(rows.get(key, (0, 0, 0))[2] or 0), factors)
        for key in keys
    ]  # fmt: skip


def _year_of(column):
    """The year of a date as text, on SQLite and PostgreSQL alike."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY")
    return func.strftime("%Y", column)


def by_year(municipality: Municipality | None = None) -> list[Month]:
    """Every year with entries, oldest first, with its sums (2 queries): the follow-up over
    time. (A `Month` whose `month` holds the year.)"""
    factors = current_factors()
    year = _year_of(TravelFreeMeeting.held_on)
    where = [current()]
    if municipality is not None:
        where.append(TravelFreeMeeting.municipality_id == municipality.id)
    rows = db.session.execute(
        db.select(year, func.sum(TravelFreeMeeting.meetings),
                  func.sum(TravelFreeMeeting.trips_avoided), func.sum(km_of(factors)))
        .join(Municipality, Municipality.id == TravelFreeMeeting.municipality_id)
        .where(*where)
        .group_by(year)
        .order_by(year)
    ).all()  # fmt: skip
    return [Month(str(key), int(m or 0), int(t or 0), float(k or 0), factors)
            for key, m, t, k in rows]  # fmt: skip


def years_logged() -> list[int]:
    """The years that have entries, newest first, and this year (1 query)."""
    first = db.session.scalar(db.select(func.min(TravelFreeMeeting.held_on)))
    now = this_year()
    start = min(first.year, now) if first else now
    return list(range(now, start - 1, -1))


def entries(municipality: Municipality) -> keyset.Page:
    """The municipality's current entries, latest first, the page after the request's cursor
    (1 query)."""
    where = [TravelFreeMeeting.municipality_id == municipality.id, current()]
    order = [TravelFreeMeeting.held_on, TravelFreeMeeting.id]
    page = keyset.page(db.select(TravelFreeMeeting).where(*where), order, PAGE_SIZE, True)
    return replace(page, rows=[row for (row,) in page.rows])


def coverage_beside_meetings(rows: list[Effect]) -> list[tuple[str, float, float]]:
    """Per municipality of `rows`: name, training coverage now, and travel-free meetings per
    1,000 inhabitants — the points of the chart across the 15 (1 query)."""
    coverage = {row.code: row.coverage for row in coverage_by_municipality()}
    return [
        (row.name, coverage.get(row.code, 0.0), 1000 * row.meetings / (row.population or 1))
        for row in rows
    ]
