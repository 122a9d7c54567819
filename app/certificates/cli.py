"""`flask certificates print`: a municipality's print pack, written by the same service as the
web's print-pack job (one PDF up to 1,000 certificates, a ZIP of 1,000-page PDFs above)."""

from datetime import date
from pathlib import Path

import click

from app.certificates import queries
from app.certificates.access import Scope
from app.certificates.services import PART_SIZE, write_print_pack
from app.courses.models import Course
from app.extensions import db
from app.municipalities.models import Municipality

certificates_cli = click.Group("certificates", help="Certificates and print packs.")


@certificates_cli.command("print")
@click.option("--municipality", "code", required=True, help="Municipality code, e.g. 2080.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="PDF file to write."
)
@click.option("--course", "course_slug", help="Only this course (its slug, e.g. end-user).")
@click.option("--since", help="Only certificates issued on or after this date (YYYY-MM-DD).")
def print_command(code: str, output: str, course_slug: str | None, since: str | None):
    """Write every valid certificate of a municipality, print-ready: FILE.pdf up to 1,000
    certificates, else FILE.zip beside it holding PDFs of 1,000 pages each."""
    municipality = db.session.scalar(db.select(Municipality).filter_by(code=code))
    if municipality is None:
        raise click.ClickException(f"unknown municipality code '{code}'")
    filters = queries.CertificateFilter(municipality_id=municipality.id)
    if course_slug:
        course = db.session.scalar(db.select(Course).filter_by(slug=course_slug))
        if course is None:
            raise click.ClickException(f"unknown course '{course_slug}'")
        filters.course_id = course.id
    if since:
        try:
            filters.issued_from = date.fromisoformat(since)
        except ValueError as error:
            raise click.ClickException(
                f"--since must be a date like 2026-01-31, not '{since}'"
            ) from error
    scope = Scope.everywhere()  # the command line acts for the programme office
    total = queries.count_valid(scope, filters)
    if total == 0:
        raise click.ClickException(
            f"no valid certificates in {municipality.name} match; nothing written"
        )
    path = Path(output)
    if total > PART_SIZE:
        path = path.with_suffix(".zip")
    write_print_pack(scope, filters, path, total)
    parts = (
        f" ({-(-total // PART_SIZE)} PDFs of up to {PART_SIZE:,} pages)"
        if total > PART_SIZE
        else ""
    )
    click.echo(f"Wrote {total} certificate(s) for {municipality.name} to {path}{parts}.")
