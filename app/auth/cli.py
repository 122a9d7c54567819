"""`flask users token`: API tokens from the command line; the group's `create` and `import`
(people and rosters) are the municipalities domain's (`app.municipalities.cli`)."""

import click

from app.auth.models import User
from app.auth.services import normalise_email
from app.auth.tokens import create_token
from app.extensions import db

users_cli = click.Group("users", help="Manage user accounts.")


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
