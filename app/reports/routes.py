"""Coverage dashboards and exports: the admin's overview of all 15, a coordinator's own."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_login import current_user

from app.core.access import requires
from app.core.scope import may_see_every_municipality
from app.core.time import utcnow
from app.municipalities.access import get_municipality_or_404
from app.reports import exports, queries
from app.reports.access import may_see_coverage
from app.training.evaluation import results_for_municipality

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
    now = utcnow()
    trained = queries.trained_by_month(now)  # one pass over the completions for the table and trend
    rows = queries.coverage_by_municipality(now, trained=trained)
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
        months=queries.by_month(now=now, trained=trained),
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
    coverage = queries.municipality_coverage(place)
    return render_template(
        "reports/municipality.html",
        municipality=place,
        row=coverage.row,
        agents=coverage.agents,
        behind=[agent for agent in coverage.agents if agent.behind],
        months=coverage.months,
        evaluation=results_for_municipality(place.id),
    )


@bp.post("/coverage.<any(csv, xlsx):kind>")
@requires(may_see_every_municipality)
def coverage_export(kind: str):
    """Start the coverage table for Excel (CSV with BOM and `;`, or XLSX) as a background job."""
    job = exports.start_coverage(current_user, kind, back=url_for(".overview"))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/<code>/<any(people, sessions):table>.<any(csv, xlsx):kind>")
@requires(may_see_coverage)
def table_export(code: str, table: str, kind: str):
    """Start the municipality's people or sessions export (a background job); show its page."""
    place = get_municipality_or_404(code)
    job = exports.start(current_user, table, place, kind,
                        back=url_for(".municipality", code=place.code))  # fmt: skip
    return redirect(url_for("jobs.show", job_id=job.id))
