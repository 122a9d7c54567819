"""E-mail through the outbox and a real SMTP server started by the test: recipient, subject,
language, the .ics attachment; retries with back-off; the admin's outbox page; the CLI."""

import email
import socket
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from app.auth.models import User
from app.auth.services import send_activation_links
from app.core.roles import Role
from app.core.time import utcnow
from app.extensions import db
from app.mail.models import MailState, OutboxMessage
from app.mail.services import MAX_ATTEMPTS, _claim, flush_outbox
from tests.support.training import details


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app):
    """A real SMTP server on localhost, and the app pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield inbox
    controller.stop()
    app.config.update(MAIL_SERVER=None)


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_activation_mail_reaches_the_server_in_the_recipients_language(app, smtp, create_user):
    swede = create_user(email="asa@falun.se", name="Åsa Öberg", password="")
    english = create_user(email="sam@falun.se", name="Sam Smith", password="")
    english.locale, swede.password_hash, english.password_hash = "en", None, None
    db.session.commit()
    with app.test_request_context():
        assert send_activation_links([swede, english]) == 2
    assert flush_outbox() == (2, 0)
    by_recipient = {message["To"]: message for message in smtp.messages}
    assert by_recipient["asa@falun.se"]["Subject"] == "Aktivera ditt konto i Vi möts resfritt"
    assert by_recipient["sam@falun.se"]["Subject"] == "Activate your account in Vi möts resfritt"
    text = by_recipient["asa@falun.se"].get_body(("plain",)).get_content()
    assert "Hej Åsa Öberg!" in text and "/activate/" in text
    html = by_recipient["asa@falun.se"].get_body(("html",)).get_content()
    assert 'href="http' in html
    assert all(m.state == MailState.SENT for m in outbox())


def test_registration_confirmation_carries_the_calendar_file(
    client, auth, smtp, certified_agent, create_user
):
    from app.training.services import create_session

    training_session = create_session(certified_agent, details())
    learner = create_user(email="karin@falun.se", name="Karin Ek")
    auth.login_as(learner)
    response = client.post(f"/sessions/{training_session.id}/register")
    assert smtp.messages == []
    response.close()  # what a WSGI server does once the response has gone out
    (message,) = smtp.messages  # sent after the response, not by a cron run
    assert message["To"] == "karin@falun.se"
    assert message["Subject"] == f"Du är anmäld: {training_session.title}"
    (ics,) = list(message.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_filename() == f"utbildningstillfalle-{training_session.id}.ics"
    assert "BEGIN:VEVENT" in ics.get_content()


def test_failures_are_retried_with_growing_delays_then_given_up(app, create_user):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens there
    person = create_user(password="")
    person.password_hash = None
    db.session.commit()
    with app.test_request_context():
        send_activation_links([person])
    (message,) = outbox()
    delays = []
    for _ in range(MAX_ATTEMPTS):
        message.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        before = utcnow()
        assert flush_outbox() == (0, 1)
        db.session.refresh(message)
        delays.append(message.next_attempt_at - before)
    assert message.state == MailState.FAILED and message.attempts == MAX_ATTEMPTS
    assert "ConnectionRefusedError" in message.last_error
    growing = [round(d.total_seconds() / 60) for d in delays[:-1]]
    assert growing == sorted(growing) and growing[0] >= 2 and growing[-1] > growing[0]
    assert flush_outbox() == (0, 0), "a failed message waits for an admin"


def test_admins_read_and_retry_the_outbox_others_may_not(client, auth, app, create_user):
    person = create_user(email="utan.losen@falun.se", password="")
    person.password_hash = None
    db.session.commit()
    with app.test_request_context():
        send_activation_links([person])
    (message,) = outbox()
    message.state = MailState.FAILED
    db.session.commit()
    auth.login_as(create_user(role=Role.COORDINATOR))
    assert client.get("/admin/outbox/").status_code == 403
    auth.logout()
    auth.login_as(create_user(role=Role.ADMIN))
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "Aktivera ditt konto" in page and "utan.losen@falun.se" in page
    assert "Ingen e-postserver är inställd" in page
    client.post(f"/admin/outbox/{message.id}/retry")
    assert outbox()[0].state == MailState.PENDING


def test_flush_command_sends_and_says_so(runner, app, smtp, create_user):
    person = create_user(password="")
    person.password_hash = None
    db.session.commit()
    with app.test_request_context():
        send_activation_links([person])
    result = runner.invoke(args=["mail", "flush"])
    assert result.exit_code == 0 and "Sent 1 message(s)" in result.output
    assert len(smtp.messages) == 1
    app.config.update(MAIL_SERVER=None)
    refused = runner.invoke(args=["mail", "flush"])
    assert refused.exit_code == 1 and "MAIL_SERVER is not set" in refused.output


def test_a_new_certificate_is_announced_with_its_verification_link(
    quiz_course, quiz, learner, smtp, app
):
    from werkzeug.datastructures import MultiDict

    from app.quizzes.services import read_answers, start_attempt, submit_attempt
    from tests.support.quizzes import answer_form, read_all_lessons

    read_all_lessons(learner, quiz_course)
    attempt = start_attempt(learner, quiz)
    submit_attempt(learner, attempt, read_answers(attempt, MultiDict(answer_form(attempt))))
    (message,) = [m for m in outbox() if m.kind == "certificate_issued"]
    assert message.recipient == learner.email
    assert message.subject.startswith("Ditt intyg: ")
    assert "/verify/" in message.body_text and "/certificates/mine" in message.body_text


def test_demo_history_is_not_announced(runner, synced_courses):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert not [m for m in outbox() if m.kind == "certificate_issued"]


def test_the_day_before_reminder_is_queued_once_with_the_calendar_file(
    runner, certified_agent, create_user
):
    from app.training.services import create_session, register

    tomorrow = create_session(certified_agent, details(start_in=timedelta(hours=24)))
    next_week = create_session(certified_agent, details(start_in=timedelta(days=7)))
    person = create_user(email="paminn@falun.se")
    for training_session in (tomorrow, next_week):
        register(person, training_session)
    first = runner.invoke(args=["mail", "reminders"])
    assert first.exit_code == 0 and "Queued 1 reminder(s)" in first.output
    (message,) = [m for m in outbox() if m.kind == "reminder"]
    assert message.recipient == "paminn@falun.se"
    assert message.subject == f"Påminnelse: {tomorrow.title}"
    assert message.attachments[0]["filename"] == f"utbildningstillfalle-{tomorrow.id}.ics"
    assert "Queued 0 reminder(s)" in runner.invoke(args=["mail", "reminders"]).output


def test_one_broken_message_does_not_hold_back_the_rest(app, smtp, create_user):
    people = [create_user(email=f"ny{n}@falun.se", password="") for n in range(2)]
    for person in people:
        person.password_hash = None
    db.session.commit()
    with app.test_request_context():
        send_activation_links(people)
    broken, fine = outbox()
    broken.recipient = "trasig@falun.se\r\nBcc: evil@example.com"
    db.session.commit()
    assert flush_outbox() == (1, 1)
    assert [m["To"] for m in smtp.messages] == ["ny1@falun.se"]
    assert outbox()[0].attempts == 1 and outbox()[0].state == MailState.PENDING


def test_a_line_break_in_a_session_title_is_refused(client, auth, certified_agent):
    auth.login_as(certified_agent)
    response = client.post("/sessions/new", data={
        "title": "Kurs\rBcc: evil@example.com", "starts_at": "2030-01-10T10:00",
        "ends_at": "2030-01-10T11:00", "mode": "video", "place": "Videorummet",
    })  # fmt: skip
    assert response.status_code == 422 and "styrtecken" in response.get_data(as_text=True)


def test_two_flushes_at_once_send_each_message_once(app, smtp, create_user):
    create_user(email="asa@falun.se", password="")
    person = db.session.scalar(db.select(User).filter_by(email="asa@falun.se"))
    person.password_hash = None
    db.session.commit()
    with app.test_request_context():
        send_activation_links([person])
    db.session.commit()
    # The worker read the due message (as it was then) just before an app server flushed it.
    seen_by_worker = db.session.scalars(db.select(OutboxMessage)).all()
    db.session.expunge_all()
    assert flush_outbox() == (1, 0)
    assert _claim(seen_by_worker) == []  # the worker's claim finds it taken: not sent again
    assert len(smtp.messages) == 1
    # And while a message is leased to one flush, another cannot take it either.
    with app.test_request_context():
        send_activation_links([db.session.get(User, person.id)])
    db.session.commit()
    pending = db.session.scalars(db.select(OutboxMessage).filter_by(state="pending")).all()
    db.session.expunge_all()
    fresh = db.session.scalars(db.select(OutboxMessage).filter_by(state="pending")).all()
    assert len(_claim(fresh)) == 1 and _claim(pending) == []
