"""`flask users …`: create users from the command line."""

import click

from app.auth.models import Role
from app.auth.services import UserError, create_user

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
