"""`flask mail flush`: send what waits in the outbox (cron-friendly; retries failures)."""

import click

from app.mail.services import flush_outbox, mail_configured

mail_cli = click.Group("mail", help="The e-mail outbox.")


@mail_cli.command("flush")
def flush_command():
    """Send the messages that are due; exit 1 if any failed or no mail server is set."""
    if not mail_configured():
        raise click.ClickException("MAIL_SERVER is not set: messages stay in the outbox")
    sent, failed = flush_outbox(limit=10_000)
    click.echo(f"Sent {sent} message(s); {failed} failed and will be retried.")
    if failed:
        raise SystemExit(1)


@mail_cli.command("reminders")
def reminders_command():
    """Queue the day-before reminders for sessions starting in 12–36 hours (run hourly)."""
    from urllib.parse import urlsplit

    from app.core.urls import public_base
    from app.training.services import send_reminders

    base = public_base()
    count = send_reminders(base, urlsplit(base).hostname or "localhost")
    click.echo(f"Queued {count} reminder(s); `flask mail flush` sends them.")
