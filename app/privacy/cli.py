"""`flask privacy purge [--dry-run]`: erase the accounts inactive past the retention period."""

import click

from app.privacy.queries import due_for_erasure
from app.privacy.services import purge_inactive, retention_cutoff

privacy_cli = click.Group("privacy", help="Personal data: the retention rule.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List who would be erased; change nothing.")
def purge_command(dry_run: bool):
    """Erase every account inactive for PRIVACY_RETENTION_DAYS (DESIGN §5), or list them."""
    try:
        cutoff = retention_cutoff()
    except (TypeError, ValueError) as error:
        raise click.ClickException(
            f"PRIVACY_RETENTION_DAYS must be a whole number of days from 1 ({error})"
        ) from None
    since = f"{cutoff:%Y-%m-%d}"
    if not dry_run:
        count = purge_inactive(cutoff)
        click.echo(f"Erased {count} account(s) without activity since {since}.")
        return
    people = due_for_erasure(cutoff)
    for person in people:
        where = person.municipality.code if person.municipality else "-"
        last = person.last_seen_at or person.created_at
        click.echo(f"{person.id}\t{person.email}\t{person.name}\t{where}\t{last:%Y-%m-%d}")
    click.echo(f"{len(people)} account(s) without activity since {since} would be erased "
               "(dry run: nothing changed).")  # fmt: skip
