"""`flask users …`: create users from the command line."""

import click

from app.api.tokens import create_token
from app.auth.models import Role, User
from app.auth.services import UserError, create_user, normalise_email
from app.extensions import db

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
def token_command(email: str, name: str):
    """Print a new API token for the user (shown once; only its hash is kept)."""
    user = db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))
    if user is None:
        raise click.ClickException(f"no user with the email '{email}'")
    if not user.active:
        raise click.ClickException(f"{user.email} is deactivated")
    click.echo(create_token(user, name))
