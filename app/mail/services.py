"""Queueing and sending e-mail. Pages only queue; nothing waits for a mail server.

Messages are rendered when queued, in the recipient's language, as plain text and HTML from
`templates/mail/<kind>.txt` and `.html` (the first line of the text is the subject). They are
sent by `flush_outbox`: after the response that queued them, and by `flask mail flush` (cron).
A failure is retried with growing delays; after the last retry the message is marked failed and
shown to admins on the outbox page. Without MAIL_SERVER (the demo) messages stay in the outbox.
"""

import base64
import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, g, render_template
from flask_babel import force_locale

from app.core.time import utcnow
from app.extensions import db
from app.mail.models import MailState, OutboxMessage

log = logging.getLogger(__name__)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_ATTEMPTS = 6
RETRY_BASE = timedelta(minutes=2)  # 2, 4, 8, 16, 32 minutes between attempts


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message."""

    filename: str
    content_type: str
    data: bytes


def render_mail(
    kind: str,
    recipient: str,
    locale: str,
    attachments: tuple[Attachment, ...] = (),
    **context,
) -> OutboxMessage:
    """The message rendered in the recipient's language, not yet queued."""
    with force_locale(locale if locale in current_app.config["LANGUAGES"] else "sv"):
        text = render_template(f"mail/{kind}.txt", **context)
        html = render_template(f"mail/{kind}.html", **context)
    subject, _, body = text.partition("\n")
    subject = CONTROL.sub(" ", subject)  # a title with a line break must not break the header
    return OutboxMessage(
        kind=kind,
        recipient=recipient,
        subject=subject.strip(),
        body_text=body.strip() + "\n",
        body_html=html,
        attachments=[
            {"filename": a.filename, "content_type": a.content_type,
             "data": base64.b64encode(a.data).decode()}
            for a in attachments
        ],
    )  # fmt: skip


def queue_mail(
    kind: str,
    recipient: str,
    locale: str,
    attachments: tuple[Attachment, ...] = (),
    **context,
) -> OutboxMessage:
    """Render the message in the recipient's language and put it in the outbox (the caller
    commits); it is sent after the response."""
    message = render_mail(kind, recipient, locale, attachments, **context)
    db.session.add(message)
    g.mail_queued = True
    return message


def queue_mails(messages: list[OutboxMessage]) -> None:
    """Put rendered messages (`render_mail`) in the outbox in one INSERT, however many (the
    caller commits): flushed one by one they would cost a statement each."""
    if not messages:
        return
    now = utcnow()
    db.session.execute(
        db.insert(OutboxMessage),
        [
            {"kind": m.kind, "recipient": m.recipient, "subject": m.subject,
             "body_text": m.body_text, "body_html": m.body_html,
             "attachments": m.attachments, "state": MailState.PENDING, "attempts": 0,
             "next_attempt_at": now, "last_error": "", "created_at": now}
            for m in messages
        ],
    )  # fmt: skip
    g.mail_queued = True


def mail_configured() -> bool:
    """True when a mail server is configured (else messages wait in the outbox)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def flush_outbox(limit: int = 200) -> tuple[int, int]:
    """Send the messages that are due; return (sent, failed this time)."""
    if not mail_configured():
        return 0, 0
    due = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.state == MailState.PENDING, OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    due = _claim(due)
    if not due:
        return 0, 0
    sent = failed = 0
    try:
        connection = _connect()
    except (OSError, smtplib.SMTPException) as error:
        for message in due:
            _failed(message, error)
        db.session.commit()
        return 0, len(due)
    with connection:
        for message in due:
            try:
                connection.send_message(_email(message))
            except Exception as error:  # noqa: BLE001 - one bad message must not stop the rest
                _failed(message, error)
                failed += 1
            else:
                message.state, message.sent_at, message.attempts = (
                    MailState.SENT, utcnow(), message.attempts + 1
                )  # fmt: skip
                sent += 1
            db.session.commit()
    log.info("Outbox: %d sent, %d failed", sent, failed)
    return sent, failed


CLAIM_LEASE = timedelta(minutes=10)


def _claim(due: list[OutboxMessage]) -> list[OutboxMessage]:
    """The messages this flush may send, leased in one statement (their next attempt moved on)
    only where they are still due, so an app server and the worker flushing at the same moment
    never send a message twice; a flush that dies leaves them for after the lease."""
    if not due:
        return []
    taken = set(
        db.session.scalars(
            db.update(OutboxMessage)
            .where(
                OutboxMessage.id.in_([message.id for message in due]),
                OutboxMessage.state == MailState.PENDING,
                OutboxMessage.next_attempt_at <= utcnow(),
            )
            .values(next_attempt_at=utcnow() + CLAIM_LEASE)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    return [message for message in due if message.id in taken]


def _connect() -> smtplib.SMTP:
    config = current_app.config
    connection = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=20)
    if str(config.get("MAIL_USE_TLS")).strip().lower() in ("1", "true", "yes", "on"):
        connection.starttls()
    if config.get("MAIL_USERNAME"):
        connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return connection


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(
        domain=current_app.config["MAIL_FROM"].rpartition("@")[2].strip(">") or "localhost"
    )
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    for item in message.attachments:
        maintype, _, subtype = item["content_type"].partition("/")
        email.add_attachment(
            base64.b64decode(item["data"]), maintype=maintype, subtype=subtype,
            filename=item["filename"],
        )  # fmt: skip
    return email


def _failed(message: OutboxMessage, error: Exception) -> None:
    """Count the attempt; try again later with a growing delay, or give up."""
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    if message.attempts >= MAX_ATTEMPTS:
        message.state = MailState.FAILED
    else:
        message.next_attempt_at = utcnow() + RETRY_BASE * 2 ** (message.attempts - 1)
    log.warning("Mail %d to %s failed (%d): %s", message.id, message.recipient,
                message.attempts, message.last_error)  # fmt: skip


def retry(message: OutboxMessage) -> None:
    """An admin sends a failed message again (from the outbox page)."""
    message.state, message.next_attempt_at = MailState.PENDING, utcnow()
    db.session.commit()


def outbox_page(page: int, size: int = 50) -> tuple[list[OutboxMessage], int]:
    """Newest messages first, one page, and how many there are (2 queries)."""
    total = db.session.scalar(db.select(db.func.count(OutboxMessage.id)))
    rows = db.session.scalars(
        db.select(OutboxMessage)
        .order_by(OutboxMessage.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return list(rows), total


def init_app(app) -> None:
    """Send what a request queued once its response has gone out."""

    @app.after_request
    def send_after_response(response):
        if g.get("mail_queued") and mail_configured():
            real_app = current_app._get_current_object()

            def flush():
                with real_app.app_context():
                    flush_outbox()

            response.call_on_close(flush)
        return response
