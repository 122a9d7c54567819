"""The coverage table and a municipality's people and sessions for Excel, made as background
jobs (at national scale they take seconds): CSV with BOM and `;`, or XLSX, in the asker's
language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.exports import csv_bytes, local_time, xlsx_bytes
from app.core.jobs import services as jobs
from app.core.jobs.models import Job
from app.core.labels import label
from app.core.roles import Role
from app.core.scope import may_see_every_municipality
from app.courses.models import CompletionMethod
from app.municipalities.access import visible_municipality
from app.municipalities.models import Municipality
from app.reports import queries
from app.reports.access import may_see_coverage
from app.training.models import SessionMode


def start(owner: User, table: str, place: Municipality, kind: str, back: str) -> Job:
    """Queue the export of `table` ("people" or "sessions") of the municipality as CSV or XLSX."""
    return jobs.start(f"{table}_export", owner, 0, {"code": place.code, "kind": kind}, back)


def _people(place: Municipality) -> tuple[str, list[str], list[list]]:
    """The municipality's people with their training status."""
    header = [_("Namn"), _("E-post"), _("Roll"), _("Aktiv"), _("Utbildad"), _("Hur"), _("Datum"),
              _("Utbildare")]  # fmt: skip
    rows = [
        [p.name, p.email, label(Role, p.role), _("ja") if p.active else _("nej"),
         _("ja") if p.completed_at else _("nej"), label(CompletionMethod, p.method),
         local_time(p.completed_at).date() if p.completed_at else None, p.trainer or ""]
        for p in queries.people_status(place)
    ]  # fmt: skip
    return f"personal-{place.code}", header, rows


def _sessions(place: Municipality) -> tuple[str, list[str], list[list]]:
    """The municipality's sessions that have started: held or not by the coverage rules,
    attendees, staff trained, and whether each was recorded after the fact."""
    header = [_("Datum"), _("Tillfälle"), _("Mötesagent"), _("Form"), _("Räknas som hållet"),
              _("Deltagare"), _("Utbildade"), _("Status"),
              _("Registrerat i efterhand")]  # fmt: skip
    rows = []
    for line in queries.sessions_of(place):
        ts = line.training_session
        late = ""
        if ts.recorded_after_the_fact:
            late = f"{local_time(ts.created_at):%Y-%m-%d %H:%M} {line.recorded_by or ''}"
        rows.append([
            ts.starts_at, ts.title, line.agent_name,
            label(SessionMode, ts.mode), _("ja") if line.held else _("nej"), line.attendees,
            line.trained, _("inställt") if ts.cancelled else "", late.strip(),
        ])  # fmt: skip
    return f"tillfallen-{place.code}", header, rows


def _table_file(table):
    """The export of a table of the municipality, as its owner may see it now."""

    def make(owner: User, params: dict) -> tuple[str, bytes] | None:
        place = visible_municipality(owner, params["code"])
        if place is None or not may_see_coverage(owner):
            return None
        name, header, rows = table(place)
        if params["kind"] == "csv":
            return f"{name}.csv", csv_bytes(header, rows)
        return f"{name}.xlsx", xlsx_bytes(place.name, header, rows)

    return make


def _coverage_file(owner: User, params: dict) -> tuple[str, bytes] | None:
    """The coverage table of every municipality, then the totals (the programme office's)."""
    if not may_see_every_municipality(owner):
        return None
    rows = queries.coverage_by_municipality()
    header = [str(column.label) for column in queries.COVERAGE_COLUMNS]
    cells = [row.cells() for row in [*rows, queries.totals(rows)]]
    if params["kind"] == "csv":
        return "tackning.csv", csv_bytes(header, cells)
    return "tackning.xlsx", xlsx_bytes(_("Täckning"), header, cells)


def start_coverage(owner: User, kind: str, back: str) -> Job:
    """Queue the coverage table as CSV or XLSX."""
    return jobs.start("coverage_export", owner, 0, {"kind": kind}, back)


jobs.file_handler("people_export", _l("Personallista med utbildning"), _table_file(_people))
jobs.file_handler("sessions_export", _l("Tillfällen"), _table_file(_sessions))
jobs.file_handler("coverage_export", _l("Täckning per kommun"), _coverage_file)
