"""The yearly effect report for the funder: the figures, the factors used and the training
coverage beside them, as a tagged PDF and as an Excel workbook, built from the same queries as
the pages and the API."""

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.exports import xlsx_workbook
from app.core.jobs import services as jobs
from app.core.jobs.models import Job
from app.core.pdf import TaggedParagraph, mm
from app.core.pdfdoc import a4_document, build, cell, header_cells, styles, table, title_block
from app.core.time import utcnow
from app.effect import queries
from app.effect.access import may_set_factors
from app.effect.factors import GOAL_2015, GOAL_2020, Factors
from app.reports.queries import Coverage, coverage_by_municipality


@dataclass
class YearReport:
    """Everything the report shows for one year."""

    year: int
    rows: list[queries.Effect]
    total: queries.Effect
    months: list[queries.Month]
    coverage: dict[str, Coverage]
    factors: Factors


def year_report(year: int) -> YearReport:
    """The year's figures for all 15 (a fixed number of queries)."""
    rows = queries.effect_by_municipality(year)
    total = queries.totals(rows, "Alla kommuner")
    coverage = {row.code: row for row in coverage_by_municipality()}
    return YearReport(year, rows, total, queries.by_month(year), coverage, total.factors)


def _n(value: float, decimals: int = 1) -> str:
    return format_decimal(round(value, decimals), format="#,##0." + "0" * decimals, locale="sv")


def _i(value: int) -> str:
    return format_decimal(value, locale="sv")


HEADER = ["Kommun", "Möten", "Undvikna resor", "Km", "MWh sparat", "Baslinje MWh",
          "Mål 2015 MWh", "Mål 2020 MWh", "Täckning %"]  # fmt: skip


def _cells(row: queries.Effect, coverage: Coverage | None) -> list:
    return [row.name, row.meetings, row.trips_avoided, round(row.km_avoided, 1),
            round(row.mwh_saved, 3), round(row.baseline_mwh, 1), round(row.goal_2015_mwh, 1),
            round(row.goal_2020_mwh, 1),
            round(100 * coverage.coverage, 1) if coverage is not None else None]  # fmt: skip


def report_xlsx(report: YearReport) -> bytes:
    """The report as a workbook: per municipality with the total, per month, the factors."""
    factors = report.factors
    by_municipality = [_cells(row, report.coverage.get(row.code)) for row in report.rows]
    by_municipality.append([*_cells(report.total, None)[:-1], None])
    months = [[m.month, m.meetings, m.trips_avoided, round(m.km_avoided, 1), round(m.mwh_saved, 3)]
              for m in report.months]  # fmt: skip
    used = [
        ["Andel ersatta resor som hade gjorts med bil", factors.car_share],
        ["kWh per km med bil", factors.car_kwh_per_km],
        ["kWh per personkm med buss eller tåg", factors.other_kwh_per_km],
        ["Km per ersatt resa (tur och retur) när km saknas", factors.default_trip_km],
        ["Programmets baslinje, MWh per år", factors.baseline_mwh],
        ["Mål 2015, andel av baslinjen", GOAL_2015],
        ["Mål 2020, andel av baslinjen", GOAL_2020],
    ]
    return xlsx_workbook([
        (f"Effekt {report.year}", HEADER, by_municipality),
        ("Per månad", ["Månad", "Möten", "Undvikna resor", "Km", "MWh sparat"], months),
        ("Faktorer", ["Faktor", "Värde"], used),
    ])  # fmt: skip


def _summary(report: YearReport) -> str:
    total = report.total
    return (
        f"Dalarnas 15 kommuner höll {_i(total.meetings)} resfria möten under {report.year} och "
        f"undvek {_i(total.trips_avoided)} resor, {_n(total.km_avoided, 0)} km. Det sparade "
        f"{_n(total.mwh_saved)} MWh, {_n(100 * total.share_of_baseline)} % av baslinjen "
        f"{_n(total.baseline_mwh, 0)} MWh. Programmets mål var {_n(total.goal_2015_mwh, 0)} MWh "
        f"(20 %) till 2015 och {_n(total.goal_2020_mwh, 0)} MWh (40 %) till 2020."
    )


def _method(factors: Factors) -> str:
    return (
        "Km som inte reses: varje möte i loggen med sina km, annars antalet undvikna resor "
        "gånger kommunens avstånd per resa, tur och retur "
        f"({_n(factors.default_trip_km, 0)} km om kommunen inte har angett något). Energi: "
        f"{_n(100 * factors.car_share, 0)} % av resorna antas ha gjorts med bil "
        f"({_n(factors.car_kwh_per_km, 2)} kWh per km), resten med buss eller tåg "
        f"({_n(factors.other_kwh_per_km, 2)} kWh per personkm), alltså "
        f"{_n(factors.kwh_per_km, 2)} kWh per km. Baslinjen {_n(factors.baseline_mwh, 0)} MWh "
        "per år fördelas efter folkmängd om programkontoret inte har satt kommunens andel. "
        "Täckning: utbildade medarbetare i procent av målet, i dag."
    )


NUMBERS_RIGHT = [("ALIGN", (1, 0), (-1, -1), "RIGHT")]  # every column but the first


def report_pdf(report: YearReport) -> bytes:
    """The report as a tagged A4 PDF."""
    s = styles()
    total = report.total
    title = f"Vi möts resfritt – effekt {report.year}"
    story = [
        *title_block(
            "VI MÖTS RESFRITT · ÅRSRAPPORT", f"Resfria möten och sparad energi {report.year}", s
        ),
        TaggedParagraph(escape(_summary(report)), s["body"]),
        TaggedParagraph("Per kommun", s["h2"], tag="H2"),
    ]
    heads = ("Kommun", "Möten", "Resor", "Km", "MWh", "Baslinje", "Mål 2015", "Täckning")
    rows = [header_cells(heads, s["cell"])]
    for row in [*report.rows, total]:
        coverage = report.coverage.get(row.code)
        rows.append([cell(escape(row.name), s["cell"]), _i(row.meetings), _i(row.trips_avoided),
                     _n(row.km_avoided, 0), _n(row.mwh_saved), _n(row.baseline_mwh, 0),
                     _n(row.goal_2015_mwh, 0),
                     f"{_n(100 * coverage.coverage)} %" if coverage else ""])  # fmt: skip
    story.append(table(rows, header=True, style=NUMBERS_RIGHT, widths=[
        34 * mm, 16 * mm, 18 * mm, 22 * mm, 18 * mm, 20 * mm, 20 * mm, 22 * mm]))  # fmt: skip
    story += [TaggedParagraph("Per månad", s["h2"], tag="H2")]
    months = [header_cells(("Månad", "Möten", "Resor", "Km", "MWh"), s["cell"])]
    months += [[m.month, _i(m.meetings), _i(m.trips_avoided), _n(m.km_avoided, 0),
                _n(m.mwh_saved)] for m in report.months]  # fmt: skip
    widths = [30 * mm, 25 * mm, 25 * mm, 30 * mm, 25 * mm]
    story.append(table(months, header=True, widths=widths, style=NUMBERS_RIGHT))
    story += [
        TaggedParagraph("Så räknar vi", s["h2"], tag="H2"),
        TaggedParagraph(escape(_method(report.factors)), s["body"]),
        TaggedParagraph(escape(f"Utskriven {utcnow():%Y-%m-%d}."), s["small"]),
    ]
    buffer = io.BytesIO()
    build(a4_document(buffer, title, "Årsrapport om resfria möten och sparad energi"), story, title)
    return buffer.getvalue()


def _report_file(owner: User, params: dict) -> tuple[str, bytes] | None:
    """The yearly report as PDF or Excel, if its owner may still make it."""
    if not may_set_factors(owner):
        return None
    year = params["year"]
    report = year_report(year)
    if params["kind"] == "pdf":
        return f"resfria-moten-{year}.pdf", report_pdf(report)
    return f"resfria-moten-{year}.xlsx", report_xlsx(report)


def start_report(owner: User, year: int, kind: str, back: str) -> Job:
    """Queue the yearly report (it reads every municipality's year) as `owner`'s job."""
    return jobs.start("effect_report", owner, 0, {"year": year, "kind": kind}, back)


jobs.file_handler("effect_report", _l("Årsrapport om resfria möten"), _report_file)
