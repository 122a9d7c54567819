"""Writes of the meeting log: one entry, a correction, an import, the factors.

Every entry, from the form, a file or the API, is read by `read_entry`, so the three agree on
what a valid entry is.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from app.auth.models import User
from app.core.csvfile import CsvRefused, Text, _l, read_rows
from app.core.errors import DomainError, one_transaction
from app.core.time import STOCKHOLM, utcnow
from app.core.validation import has_hidden_characters
from app.effect.models import EnergyFactors, MeetingForm, MeetingSource, TravelFreeMeeting
from app.extensions import db
from app.municipalities.models import Municipality

log = logging.getLogger(__name__)
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20000
FIRST_YEAR = 2010
MAX_COUNT = 1_000_000
MAX_KM = 100_000_000.0
NOTE_MAX = 500
FORM_WORDS = {
    "video_room": MeetingForm.VIDEO_ROOM, "videorum": MeetingForm.VIDEO_ROOM,
    "video": MeetingForm.VIDEO_ROOM, "jabber": MeetingForm.JABBER, "web": MeetingForm.WEB,
    "webbmöte": MeetingForm.WEB, "webbmote": MeetingForm.WEB, "webb": MeetingForm.WEB,
    "phone": MeetingForm.PHONE, "telefon": MeetingForm.PHONE, "telefonmöte": MeetingForm.PHONE,
}  # fmt: skip
COLUMNS = {
    "date": "date", "datum": "date", "form": "form", "mötesform": "form",
    "meetings": "meetings", "möten": "meetings", "participants": "participants",
    "deltagare": "participants", "trips_avoided": "trips_avoided", "resor": "trips_avoided",
    "km_avoided": "km_avoided", "km": "km_avoided", "municipality": "municipality",
    "kommun": "municipality", "kommunkod": "municipality", "note": "note",
    "anteckning": "note",
}  # fmt: skip
REQUIRED = ("date", "form", "participants", "trips_avoided")


class EntryError(DomainError, ValueError):
    """A field of an entry is not valid; `field` names it, the message (lazy) says why."""

    def __init__(self, field: str, message):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class MeetingInput:
    """A valid entry, before it is written."""

    held_on: date
    form: str
    meetings: int
    participants: int
    trips_avoided: int
    km_avoided: float | None
    note: str

    def key(self, municipality_id: int) -> tuple:
        """What makes two entries the same (a row imported twice)."""
        return (municipality_id, self.held_on, self.form, self.meetings, self.participants,
                self.trips_avoided, self.km_avoided, self.note)  # fmt: skip


def _count(values: dict, name: str, default: int | None, minimum: int) -> int:
    text = str(values.get(name) or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        if default is None:
            raise EntryError(name, _l("ange ett antal"))
        return default
    if not text.isdigit() or int(text) < minimum or int(text) > MAX_COUNT:
        raise EntryError(name, _l("ange ett heltal från %(n)d", n=minimum))
    return int(text)


def _date(text: str, today: date) -> date:
    text = text.strip()
    try:
        held = date.fromisoformat(f"{text}-01" if len(text) == 7 else text)
    except ValueError:
        raise EntryError(
            "date", _l("skriv datumet som ÅÅÅÅ-MM-DD (eller ÅÅÅÅ-MM för en månad)")
        ) from None
    if held > today:
        raise EntryError("date", _l("datumet har inte varit än"))
    if held.year < FIRST_YEAR:
        raise EntryError("date", _l("datumet är före %(year)d", year=FIRST_YEAR))
    return held


def read_entry(values: dict, today: date | None = None) -> MeetingInput:
    """An entry from text fields (form, CSV row, JSON): date, form, meetings (1 when empty),
    participants, trips_avoided, km_avoided (empty: trips × the default distance), note.

    :raise EntryError: the first field that is not valid.
    """
    today = today or utcnow().astimezone(STOCKHOLM).date()
    held = _date(str(values.get("date") or ""), today)
    form = FORM_WORDS.get(str(values.get("form") or "").strip().lower())
    if form is None:
        raise EntryError("form", _l("mötesform ska vara videorum, jabber, webbmöte eller telefon"))
    meetings = _count(values, "meetings", 1, 1)
    participants = _count(values, "participants", None, 0)
    trips = _count(values, "trips_avoided", None, 0)
    km_text = str(values.get("km_avoided") or "").strip().replace("\u00a0", "").replace(" ", "")
    km = None
    if km_text:
        try:
            km = float(km_text.replace(",", "."))
        except ValueError:
            raise EntryError("km_avoided", _l("skriv km som ett tal, till exempel 84,5")) from None
        if not 0 <= km <= MAX_KM:
            raise EntryError("km_avoided", _l("skriv km som ett tal, till exempel 84,5"))
    note = " ".join(str(values.get("note") or "").split())
    if len(note) > NOTE_MAX or has_hidden_characters(note):
        raise EntryError("note", _l("skriv högst %(n)d synliga tecken", n=NOTE_MAX))
    return MeetingInput(held, form, meetings, participants, trips, km, note)


def _entry(municipality_id: int, item: MeetingInput, by: User | None, source: str):
    return TravelFreeMeeting(
        municipality_id=municipality_id, held_on=item.held_on, form=item.form,
        meetings=item.meetings, participants=item.participants,
        trips_avoided=item.trips_avoided, km_avoided=item.km_avoided, note=item.note,
        source=source, created_by_id=by.id if by else None,
    )  # fmt: skip


def log_meeting(
    municipality: Municipality, item: MeetingInput, by: User | None, source=MeetingSource.FORM
) -> TravelFreeMeeting:
    """Add one entry to the municipality's log."""
    entry = _entry(municipality.id, item, by, source)
    db.session.add(entry)
    db.session.commit()
    log.info("Meeting logged for %s by %s (%s)", municipality.code, by.email if by else "-", source)
    return entry


def correct_meeting(
    entry: TravelFreeMeeting, item: MeetingInput | None, by: User
) -> TravelFreeMeeting | None:
    """Replace an entry with a corrected one (None: remove it); the old one stays, marked."""
    new = None
    if item is not None:
        new = _entry(entry.municipality_id, item, by, entry.source)
        db.session.add(new)
        db.session.flush()
    entry.replaced_at, entry.replaced_by_id = utcnow(), new.id if new else None
    db.session.commit()
    log.info("Entry %d %s by %s", entry.id, "corrected" if new else "removed", by.email)
    return new


@dataclass
class ImportRow:
    """One line of a meeting file and what the import does with it."""

    number: int
    municipality: Municipality | None = None
    item: MeetingInput | None = None
    status: str = ""  # new | rejected
    reason: str | Text = ""


@dataclass
class ImportReport:
    """Every row's outcome."""

    rows: list[ImportRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many rows have this status."""
        return sum(1 for row in self.rows if row.status == status)


ImportRefused = CsvRefused  # the file as a whole cannot be read as a meeting log


def preview_import(
    data: bytes, municipality: Municipality | None, any_municipality: bool
) -> ImportReport:
    """What importing the file would do, row by row; writes nothing (3 queries).

    Rows name their municipality by code or name in a `municipality` column, else they are
    `municipality`'s. Someone who may not log for every municipality has each row of another
    one rejected. A row the log already holds, or that repeats an earlier row, is rejected.

    :raise ImportRefused: not a CSV with the columns, or too many rows.
    """
    header, lines = read_rows(data, MAX_BYTES)
    names = [COLUMNS.get(cell, "") for cell in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise ImportRefused(_l(
            "första raden ska ha kolumnerna date;form;meetings;participants;trips_avoided;"
            "km_avoided (och gärna municipality;note); saknas: %(missing)s",
            missing=", ".join(missing)))  # fmt: skip
    if not lines:
        raise ImportRefused(_l("filen har en rubrikrad men inga möten"))
    if len(lines) > MAX_ROWS:
        raise ImportRefused(_l("fler än %(n)d rader", n=MAX_ROWS))
    places = db.session.scalars(db.select(Municipality)).all()
    by_code = {m.code: m for m in places} | {m.name.casefold(): m for m in places}
    existing = {
        MeetingInput(r.held_on, r.form, r.meetings, r.participants, r.trips_avoided,
                     r.km_avoided, r.note).key(r.municipality_id)
        for r in db.session.scalars(db.select(TravelFreeMeeting).where(
            TravelFreeMeeting.replaced_at.is_(None),
            *([TravelFreeMeeting.municipality_id == municipality.id]
              if municipality is not None and not any_municipality else [])))
    }  # fmt: skip
    seen: dict[tuple, int] = {}
    report = ImportReport()
    today = utcnow().astimezone(STOCKHOLM).date()
    for number, cells in lines:
        values = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(names) if key}
        row = ImportRow(number)
        report.rows.append(row)
        named = values.get("municipality", "").strip()
        place = by_code.get(named.casefold()) if named else municipality
        if place is None:
            row.status, row.reason = (
                "rejected",
                (
                    _l("okänd kommun: %(m)s", m=named)
                    if named
                    else _l("ange kommun (kod eller namn)")
                ),
            )
            continue
        if municipality is not None and place.id != municipality.id and not any_municipality:
            row.status, row.reason = (
                "rejected",
                _l("raden gäller en annan kommun (%(m)s)", m=place.name),
            )
            continue
        try:
            item = read_entry(values, today)
        except EntryError as error:
            row.status, row.reason = "rejected", _l("%(field)s: %(reason)s", field=error.field,
                                                    reason=error.message)  # fmt: skip
            continue
        row.municipality, row.item = place, item
        key = item.key(place.id)
        if key in existing:
            row.status, row.reason = "rejected", _l("finns redan i mötesloggen")
        elif key in seen:
            row.status, row.reason = "rejected", _l("samma som rad %(n)d", n=seen[key])
        else:
            row.status = "new"
            seen[key] = number
    return report


def apply_import(report: ImportReport, by: User | None) -> int:
    """Write the new rows of a previewed import in one transaction; returns how many."""
    entries = [
        _entry(row.municipality.id, row.item, by, MeetingSource.IMPORT)
        for row in report.rows
        if row.status == "new"
    ]
    with one_transaction():
        db.session.add_all(entries)
    log.info("Imported %d meeting log row(s) (%d rejected)", len(entries), report.count("rejected"))
    return len(entries)


def set_factors(values: dict[str, float], by: User) -> None:
    """The programme office's factors (car share, kWh per km, default distance, baseline)."""
    row = db.session.scalar(db.select(EnergyFactors).limit(1))
    if row is None:
        row = EnergyFactors(**values)
        db.session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    row.updated_at, row.updated_by_id = utcnow(), by.id
    db.session.commit()
    log.info("Energy factors set by %s: %s", by.email, values)


def set_municipality_effect(
    municipality: Municipality, baseline_mwh: float | None, trip_km: float | None, by: User
) -> None:
    """A municipality's own share of the baseline and distance per trip (None: the default)."""
    municipality.baseline_mwh, municipality.trip_km = baseline_mwh, trip_km
    db.session.commit()
    log.info("Effect settings of %s set by %s", municipality.code, by.email)
