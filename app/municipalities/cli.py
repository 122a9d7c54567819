"""`flask municipalities seed`."""

import click

from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.services import DALARNA, seed_municipalities

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
