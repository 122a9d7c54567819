"""`flask municipalities seed`, and the people commands of the `users` group: `flask users
create` (one person, through the same service as the people page) and `flask users import`
(a roster, through the same service as the roster page)."""

from pathlib import Path

import click
from flask_babel import force_locale

from app.auth.cli import users_cli
from app.auth.services import normalise_email
from app.core.roles import Role
from app.core.validation import EMAIL, has_hidden_characters
from app.extensions import db
from app.municipalities import roster
from app.municipalities.models import Municipality
from app.municipalities.services import DALARNA, PersonError, add_person, seed_municipalities

municipalities_cli = click.Group("municipalities", help="Dalarna's municipalities.")


@municipalities_cli.command("seed")
def seed_command():
    """Create or update the 15 municipalities (safe to run again)."""
    changed = seed_municipalities()
    click.echo(f"{len(DALARNA)} municipalities in place ({changed} created or renamed).")


def municipality_of(code: str | None) -> Municipality | None:
    """The municipality a `--municipality CODE` option names (None without one).

    :raise click.ClickException: no municipality has that code.
    """
    if not code:
        return None
    municipality = db.session.scalar(db.select(Municipality).filter_by(code=code))
    if municipality is None:
        raise click.ClickException(f"unknown municipality code '{code}'")
    return municipality


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", required=True, help=f"One of: {', '.join(Role)}.")
@click.option("--municipality", "municipality_code", help="Municipality code, e.g. 2080.")
@click.option("--password", help="Password; without it the user cannot log in yet.")
def create_command(email, name, role, municipality_code, password):
    """Create one user (audited; the municipality's staff target follows the roster)."""
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise click.ClickException(f"'{email}' is not an email address")
    if not name.strip():
        raise click.ClickException("the name must not be empty")
    if has_hidden_characters(name):
        raise click.ClickException(
            "the name holds invisible control characters (such as bidi overrides)"
        )
    if role not in set(Role):
        raise click.ClickException(f"unknown role '{role}' (choose one of: {', '.join(Role)})")
    municipality = municipality_of(municipality_code.strip() if municipality_code else None)
    if municipality is None and role != Role.ADMIN:
        raise click.ClickException(
            f"a user with the role '{role}' needs a municipality (--municipality CODE)"
        )
    try:
        user = add_person(email, name, role, municipality, by=None, password=password)
    except PersonError as error:
        if error.field == "email":
            raise click.ClickException(f"a user with the email '{email}' already exists") from error
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--municipality", "code", help="For rows without a municipality column.")
def import_command(file: Path, code: str | None):
    """Upsert a staff roster (CSV: email;name;role[;municipality;unit]); report every row."""
    municipality = municipality_of(code)
    try:
        report = roster.preview(file.read_bytes(), municipality, any_municipality=True)
    except roster.RosterRefused as error:
        with force_locale("en"):  # the roster's reasons are translations; the CLI speaks English
            message = str(error)
        raise click.ClickException(f"{file}: {message}; nothing was imported") from error
    roster.apply(report)
    with force_locale("en"):
        for row in report.rows:
            reason = f": {row.reason}" if row.reason else ""
            click.echo(f"row {row.number}: {row.email} {row.status}{reason}")
    summary = ", ".join(
        f"{report.count(s)} {s}" for s in ("created", "updated", "unchanged", "rejected")
    )
    click.echo(f"Roster imported: {summary}.")
    if report.count("rejected"):
        raise click.ClickException(
            f"{report.count('rejected')} row(s) rejected; the rest were imported"
        )
