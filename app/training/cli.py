"""`flask mail reminders`: the day-before reminders, a command of the mail group kept with
training, whose sessions it reads."""

from urllib.parse import urlsplit

import click

from app.core.urls import public_base
from app.mail.cli import mail_cli
from app.training.services import send_reminders


@mail_cli.command("reminders")
def reminders_command():
    """Queue the day-before reminders for sessions starting in 12–36 hours (run hourly)."""
    base = public_base()
    count = send_reminders(base, urlsplit(base).hostname or "localhost")
    click.echo(f"Queued {count} reminder(s); `flask mail flush` sends them.")
