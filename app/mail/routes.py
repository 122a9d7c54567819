"""The outbox page: what was sent, what waits, what failed (admins)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core.access import requires
from app.extensions import db
from app.mail import services
from app.mail.access import may_read_outbox
from app.mail.models import MailState, OutboxMessage

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")
PAGE_SIZE = 50


@bp.get("/")
@requires(may_read_outbox)
def outbox():
    """Newest first, with state, attempts and the last error; the messages readable."""
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))
    messages, total = services.outbox_page(page, PAGE_SIZE)
    return render_template(
        "mail/outbox.html",
        messages=messages,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        configured=services.mail_configured(),
        MailState=MailState,
    )


@bp.post("/<int(max=2147483647):message_id>/retry")
@requires(may_read_outbox)
def retry(message_id: int):
    """Send a failed message again."""
    message = db.get_or_404(OutboxMessage, message_id)
    services.retry(message)
    flash(_("Meddelandet skickas igen."), "info")
    return redirect(url_for(".outbox"))
