"""Coverage dashboards and exports: the admin's overview of all 15, a coordinator's own."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.core.access import requires
from app.core.exports import csv_bytes, local_time, xlsx_bytes
from app.core.responses import attachment
from app.courses.models import CompletionMethod
from app.labels import label
from app.municipalities.access import get_municipality_or_404
from app.reports import queries
from app.reports.access import may_see_coverage, may_see_every_municipality
from app.training.evaluation import results_for_municipality
from app.training.models import SessionMode

bp = Blueprint("reports", __name__, url_prefix="/reports")
TABLE_COLUMNS = [column for column in queries.COVERAGE_COLUMNS if column.on_page]
SORTABLE = {column.key for column in queries.COVERAGE_COLUMNS}


@bp.app_template_filter("format_figure")
def format_figure(value, decimals: int = 1) -> str:
    """A figure as Swedish (or English) number text: 54,3 / 1 041 (floats with `decimals`)."""
    if isinstance(value, float):
        return format_decimal(value, format="#,##0." + "0" * decimals)
    return format_decimal(value) if isinstance(value, int) else str(value)


@bp.get("/")
@requires(may_see_coverage)
def overview():
    """All 15 municipalities (admins); coordinators go to their own."""
    if not may_see_every_municipality(current_user):
        return redirect(url_for(".municipality", code=current_user.municipality.code))
    rows = queries.coverage_for(current_user)
    sort = request.args.get("sort", "name")
    sort = "coverage_percent" if sort == "coverage" else sort  # the short name of older links
    if sort not in SORTABLE:
        sort = "name"
    descending = request.args.get("order", "asc" if sort == "name" else "desc") == "desc"
    rows.sort(key=lambda row: getattr(row, sort), reverse=descending)
    behind = [row for row in rows if row.coverage < 0.5]
    return render_template(
        "reports/overview.html",
        rows=rows,
        total=queries.totals(rows),
        months=queries.by_month(),
        sort=sort,
        descending=descending,
        columns=TABLE_COLUMNS,
        behind=behind,
    )


@bp.get("/<code>")
@requires(may_see_coverage)
def municipality(code: str):
    """One municipality: coverage, agents (and who is behind), the trend by month."""
    place = get_municipality_or_404(code)
    row = queries.coverage_of(place)
    agents = queries.agents_of(place)
    return render_template(
        "reports/municipality.html",
        municipality=place,
        row=row,
        agents=agents,
        behind=[agent for agent in agents if agent.behind],
        months=queries.by_month(place),
        evaluation=results_for_municipality(place.id),
    )


def _coverage_table() -> tuple[list[str], list[list]]:
    """The coverage export: a header and a row per municipality, then the totals."""
    rows = queries.coverage_by_municipality()
    header = [str(column.label) for column in queries.COVERAGE_COLUMNS]
    return header, [row.cells() for row in [*rows, queries.totals(rows)]]


@bp.get("/coverage.<any(csv, xlsx):kind>")
@requires(may_see_every_municipality)
def coverage_export(kind: str):
    """The coverage table for Excel (CSV with BOM and `;`, or XLSX)."""
    header, rows = _coverage_table()
    if kind == "csv":
        return attachment(csv_bytes(header, rows), "tackning.csv", "text/csv")
    data = xlsx_bytes(_("Täckning"), header, rows)
    return attachment(data, "tackning.xlsx", XLSX)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/<code>/people.<any(csv, xlsx):kind>")
@requires(may_see_coverage)
def people_export(code: str, kind: str):
    """The municipality's people with their training status, for Excel."""
    place = get_municipality_or_404(code)
    header = [_("Namn"), _("E-post"), _("Roll"), _("Aktiv"), _("Utbildad"), _("Hur"), _("Datum"),
              _("Utbildare")]  # fmt: skip
    rows = [
        [p.name, p.email, label(Role, p.role), _("ja") if p.active else _("nej"),
         _("ja") if p.completed_at else _("nej"), label(CompletionMethod, p.method),
         local_time(p.completed_at).date() if p.completed_at else None, p.trainer or ""]
        for p in queries.people_status(place)
    ]  # fmt: skip
    name = f"personal-{place.code}"
    if kind == "csv":
        return attachment(csv_bytes(header, rows), f"{name}.csv", "text/csv")
    return attachment(xlsx_bytes(place.name, header, rows), f"{name}.xlsx", XLSX)


@bp.get("/<code>/sessions.<any(csv, xlsx):kind>")
@requires(may_see_coverage)
def sessions_export(code: str, kind: str):
    """The municipality's sessions that have started: held or not by the coverage rules,
    attendees, staff trained, and whether each was recorded after the fact."""
    place = get_municipality_or_404(code)
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
    name = f"tillfallen-{place.code}"
    if kind == "csv":
        return attachment(csv_bytes(header, rows), f"{name}.csv", "text/csv")
    return attachment(xlsx_bytes(place.name, header, rows), f"{name}.xlsx", XLSX)
