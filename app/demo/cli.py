"""`flask demo seed` and `flask demo logins`."""

import click

from app.demo.national import seed_national
from app.demo.services import DEMO_DOMAIN, DEMO_PASSWORD, DemoDataExists, demo_logins, seed_demo

demo_cli = click.Group("demo", help="Demo data for trying the platform.")


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when users exist.")
@click.option(
    "--scale", type=click.Choice(["dalarna", "national"]), default="dalarna",
    help="Dalarna's 15 (the demo) or all 290 municipalities (for the benchmark).",
)  # fmt: skip
@click.option(
    "--size", type=click.FloatRange(0.0001, 1.0), default=1.0,
    help="With --scale national: a fraction of the national counts (to try it).",
)  # fmt: skip
def seed_command(if_empty: bool, scale: str, size: float):
    """Add demo data to an empty database: Dalarna's demo, or the national benchmark data."""
    try:
        if scale == "national":
            counts = seed_national(size)
            click.echo("National data: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
            return
        count = seed_demo()
    except DemoDataExists as error:
        if if_empty:
            click.echo("Users exist already; no demo data added.")
            return
        raise click.ClickException(str(error)) from error
    click.echo(f"Added {count} demo users.")


@demo_cli.command("logins")
def logins_command():
    """Print the demo logins and their password."""
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD})")
    for label, email in demo_logins():
        click.echo(f"  {label:<26} {email}")
    click.echo(
        f"  Other municipalities: e.g. agent1.mora@{DEMO_DOMAIN}, koordinator.orsa@{DEMO_DOMAIN}"
    )
