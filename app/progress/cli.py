"""`flask progress check [--repair]`: stored completions and certificates against the rules."""

import click
from flask.cli import AppGroup

from app.progress.check import check_progress

progress_cli = AppGroup("progress", help="Check stored progress against the rules.")


@progress_cli.command("check")
@click.option("--repair", is_flag=True, help="Write what is missing (no e-mail; audited).")
def check_command(repair: bool) -> None:
    """List everyone whose completions or certificate the rules say are missing; exit 1 if any
    (with --repair, write them and exit 0)."""
    findings = check_progress(repair=repair)
    for finding in findings:
        click.echo(f"{'repaired' if repair else 'missing'}: {finding}")
    if not findings:
        click.echo("Progress agrees with the rules.")
        return
    click.echo(f"{len(findings)} difference(s){' repaired' if repair else ''}.")
    if not repair:
        raise SystemExit(1)
