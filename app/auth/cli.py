"""`flask users …`: create users, import rosters and issue API tokens from the command line."""

from pathlib import Path

import click
from flask_babel import force_locale

from app.auth.models import Role, User
from app.auth.services import UserError, create_user, normalise_email
from app.auth.tokens import create_token
from app.extensions import db
from app.municipalities import roster
from app.municipalities.cli import municipality_of

users_cli = click.Group("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", required=True, help=f"One of: {', '.join(Role)}.")
@click.option("--municipality", "municipality_code", help="Municipality code, e.g. 2080.")
@click.option("--password", help="Password; without it the user cannot log in yet.")
def create_command(email, name, role, municipality_code, password):
    """Create one user."""
    try:
        user = create_user(email, name, role, municipality_code, password)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email}.")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="CLI", help="What the token is for.")
@click.option(
    "--days", type=click.IntRange(1, 3650), help="Valid this many days (default: until revoked)."
)
@click.option("--read-only", is_flag=True, help="The token may only read (GET).")
def token_command(email: str, name: str, days: int | None, read_only: bool):
    """Print a new API token for the user (shown once; only its hash is kept)."""
    user = db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))
    if user is None:
        raise click.ClickException(f"no user with the email '{email}'")
    if not user.active:
        raise click.ClickException(f"{user.email} is deactivated")
    click.echo(create_token(user, name, days=days, read_only=read_only))


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
