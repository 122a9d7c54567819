"""`flask municipalities seed`."""

import click

from app.municipalities.services import DALARNA, seed_municipalities

municipalities_cli = click.Group("municipalities", help="Dalarna's municipalities.")


@municipalities_cli.command("seed")
def seed_command():
    """Create or update the 15 municipalities (safe to run again)."""
    changed = seed_municipalities()
    click.echo(f"{len(DALARNA)} municipalities in place ({changed} created or renamed).")
