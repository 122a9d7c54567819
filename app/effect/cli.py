"""`flask meetings …`: import the meeting log from a file, and write the yearly effect report."""

from pathlib import Path

import click
from flask_babel import force_locale

from app.effect import queries, services
from app.effect.report import report_pdf, report_xlsx, year_report
from app.municipalities.cli import municipality_of

meetings_cli = click.Group("meetings", help="The travel-free meeting log and its effect.")


@meetings_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--municipality", "code", help="For rows without a municipality column.")
def import_command(file: Path, code: str | None):
    """Add travel-free meetings from a CSV (date;form;meetings;participants;trips_avoided;
    km_avoided[;municipality][;note]); report every row; exit 1 when a row was rejected."""
    municipality = municipality_of(code)
    try:
        report = services.preview_import(file.read_bytes(), municipality, any_municipality=True)
    except services.ImportRefused as error:
        with force_locale("en"):  # the reasons are translations; the CLI speaks English
            message = str(error)
        raise click.ClickException(f"{file}: {message}; nothing was imported") from error
    added = services.apply_import(report, by=None)
    with force_locale("en"):
        for row in report.rows:
            where = f" {row.municipality.code}" if row.municipality else ""
            reason = f": {row.reason}" if row.reason else ""
            click.echo(f"row {row.number}:{where} {row.status}{reason}")
    rejected = report.count("rejected")
    click.echo(f"Meeting log imported: {added} new, {rejected} rejected.")
    if rejected:
        raise click.ClickException(f"{rejected} row(s) rejected; the rest were imported")


@meetings_cli.command("report")
@click.option("--year", type=int, default=None, help="The calendar year (default: this year).")
@click.option("-o", "--output", "output", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="FILE.pdf or FILE.xlsx")  # fmt: skip
def report_command(year: int | None, output: Path):
    """Write the yearly effect report for the funder (PDF or Excel, by the file's ending)."""
    year = year or queries.this_year()
    if not 2000 <= year <= 2100:
        raise click.ClickException(f"the year {year} is outside 2000–2100")
    kind = output.suffix.lower()
    if kind not in (".pdf", ".xlsx"):
        raise click.ClickException("the output file must end in .pdf or .xlsx")
    report = year_report(year)
    output.write_bytes(report_pdf(report) if kind == ".pdf" else report_xlsx(report))
    total = report.total
    click.echo(f"{output}: {year}, {total.meetings} meetings, {total.mwh_saved:.1f} MWh saved.")
