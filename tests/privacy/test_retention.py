"""The retention rule: accounts without activity for PRIVACY_RETENTION_DAYS are erased by
`flask privacy purge`, after `--dry-run` has listed them."""

from datetime import UTC, datetime, timedelta

import pytest

from app.auth.models import User
from app.auth.tokens import ApiToken, create_token
from app.core.audit import AuditAction, AuditEntry
from app.core.roles import Role
from app.extensions import db
from app.municipalities.services import seed_municipalities
from app.training.models import Attendance
from app.training.services import create_session, register
from tests.support.training import certify_agent, details

LONG_AGO = datetime.now(UTC) - timedelta(days=4 * 365)
LATELY = datetime.now(UTC) - timedelta(days=30)


@pytest.fixture
def people(create_user):
    """Who is due: old and never signed in, old and signed in long ago. Who is not: signed in
    lately, created lately, an old account that used its API token or registered for a session
    lately, and someone already erased."""

    def person(name, created=LONG_AGO, seen=None, **extra):
        user = create_user(name=name, **extra)
        user.created_at, user.last_seen_at = created, seen
        return user

    due = [person("Aldrig Inloggad"), person("Länge Sedan", seen=LONG_AGO)]
    kept = [person("Nyss Inloggad", seen=LATELY), person("Ny Person", created=LATELY)]
    token_user, attendee = person("Använder API"), person("Går På Tillfälle")
    erased = person("Redan Raderad")
    erased.erased_at = LONG_AGO
    db.session.commit()
    create_token(token_user, "Rapport")
    db.session.execute(db.update(ApiToken).values(last_used_at=LATELY))
    agent = create_user(role=Role.AGENT)
    certify_agent(agent)
    register(attendee, create_session(agent, details()))
    attendee.created_at = LONG_AGO
    db.session.commit()
    return {"due": due, "kept": [*kept, token_user, attendee, agent], "erased": erased}


def test_a_dry_run_lists_who_would_be_erased_and_changes_nothing(runner, people):
    result = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Aldrig Inloggad" in result.output and "Länge Sedan" in result.output
    for person in people["kept"]:
        assert person.name not in result.output
    assert "2 account(s)" in result.output and "nothing changed" in result.output
    db.session.expire_all()
    assert all(person.erased_at is None for person in people["due"])
    assert db.session.scalar(db.select(AuditEntry)) is None


def test_purge_erases_the_inactive_accounts_by_the_rule(runner, people):
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "Erased 2 account(s)" in result.output
    db.session.expire_all()
    assert [p.name for p in people["due"]] == ["Raderad person", "Raderad person"]
    assert all(p.erased_at is not None for p in people["due"])
    assert all(p.erased_at is None for p in people["kept"])
    logged = db.session.scalars(db.select(AuditEntry)).all()
    assert {(e.actor_id, e.action, e.details["rule"]) for e in logged} == {
        (None, AuditAction.PERSON_ERASED, "retention")
    }
    again = runner.invoke(args=["privacy", "purge"])
    assert "Erased 0 account(s)" in again.output


def test_the_retention_period_is_configurable(make_app):
    with make_app(PRIVACY_RETENTION_DAYS="20") as app:
        seed_municipalities()
        db.session.add(User(email="a@falun.se", name="Månad Sedan", role=Role.ADMIN,
                            created_at=LATELY))  # fmt: skip
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["privacy", "purge", "--dry-run"])
        assert "Månad Sedan" in result.output and "1 account(s)" in result.output


@pytest.mark.parametrize("days", ["0", "tre år", "-5"])
def test_a_bad_retention_setting_stops_with_the_reason(make_app, days):
    with make_app(PRIVACY_RETENTION_DAYS=days) as app:
        result = app.test_cli_runner().invoke(args=["privacy", "purge"])
        assert result.exit_code == 1
        assert "PRIVACY_RETENTION_DAYS must be a whole number" in result.output


def test_signing_in_records_when(client, auth, create_user):
    person = create_user()
    assert person.last_seen_at is None
    auth.login_as(person)
    db.session.expire_all()
    assert person.last_seen_at is not None
    assert datetime.now(UTC) - person.last_seen_at < timedelta(minutes=1)


def test_an_attendance_mark_lately_is_activity(runner, create_user):
    old = create_user(name="Markerad Nyss")
    old.created_at = LONG_AGO
    db.session.commit()
    agent = create_user(role=Role.AGENT)
    certify_agent(agent)
    training_session = create_session(agent, details())
    register(old, training_session)
    db.session.execute(db.update(Attendance).values(registered_at=LONG_AGO, marked_at=LATELY))
    db.session.commit()
    assert "Markerad Nyss" not in runner.invoke(args=["privacy", "purge", "--dry-run"]).output
