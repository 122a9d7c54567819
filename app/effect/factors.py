"""From meetings to energy: the factors, the baseline and the goals, defined once.

A log entry's km not travelled is its own `km_avoided`, else its trips × the municipality's
distance per trip (there and back), else the programme's default distance. Energy saved is km ×
the mixed kWh per km: the share of trips that would have gone by car at the car's kWh per km,
the rest by bus or train at theirs. The programme's goals are 20 % (2015) and 40 % (2020) of
the baseline, 7,900 MWh a year in all, split between the municipalities in proportion to their
population unless the programme office sets a municipality's share.
"""

from dataclasses import dataclass

from sqlalchemy import func

from app.effect.models import EnergyFactors, TravelFreeMeeting
from app.extensions import db
from app.municipalities.models import Municipality

GOAL_2015, GOAL_2020 = 0.20, 0.40  # of the baseline (seed: 1,580 and 3,160 of 7,900 MWh)


@dataclass(frozen=True)
class Factors:
    """The factors in force; `source` of each is shown on the "Hur vi räknar" page."""

    car_share: float = 0.8
    car_kwh_per_km: float = 0.65
    other_kwh_per_km: float = 0.15
    default_trip_km: float = 90.0
    baseline_mwh: float = 7900.0

    @property
    def kwh_per_km(self) -> float:
        """The energy of one km not travelled, mixed by mode."""
        return self.car_share * self.car_kwh_per_km + (1 - self.car_share) * self.other_kwh_per_km

    def mwh(self, km: float) -> float:
        """The energy saved by `km` not travelled, in MWh."""
        return km * self.kwh_per_km / 1000


DEFAULTS = Factors()


def current_factors() -> Factors:
    """The programme office's factors, or the defaults before it has set any (1 query)."""
    row = db.session.scalar(db.select(EnergyFactors).limit(1))
    if row is None:
        return DEFAULTS
    return Factors(row.car_share, row.car_kwh_per_km, row.other_kwh_per_km,
                   row.default_trip_km, row.baseline_mwh)  # fmt: skip


def km_of(factors: Factors, meeting=TravelFreeMeeting, municipality=Municipality):
    """SQL: an entry's km not travelled (its own, else trips × the distance per trip)."""
    distance = func.coalesce(municipality.trip_km, factors.default_trip_km)
    return func.coalesce(meeting.km_avoided, meeting.trips_avoided * distance)


def current(meeting=TravelFreeMeeting):
    """SQL: an entry not replaced by a correction (the only kind every figure counts)."""
    return meeting.replaced_at.is_(None)


def baselines(factors: Factors, municipalities: list[Municipality]) -> dict[int, float]:
    """Each municipality's yearly baseline in MWh: its own when set, else its population's share
    of what the others' own shares leave of the programme's baseline."""
    fixed = {m.id: m.baseline_mwh for m in municipalities if m.baseline_mwh is not None}
    rest = max(factors.baseline_mwh - sum(fixed.values()), 0.0)
    others = [m for m in municipalities if m.id not in fixed]
    people = sum(m.population or 0 for m in others)
    shares = {
        m.id: (rest * (m.population or 0) / people if people else rest / len(others))
        for m in others
    }
    return {**shares, **fixed}
