"""`flask mail flush`: send what waits in the outbox (cron-friendly; retries failures).

`flask mail reminders` is training's: it adds itself to this group (`app.training.cli`).
"""

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
