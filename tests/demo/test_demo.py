"""`flask demo seed`: people in every municipality, with the printed demo logins working."""

from app.auth.models import Role, User
from app.demo.services import DEMO_PASSWORD, demo_logins
from app.extensions import db
from app.municipalities.models import Municipality


def test_demo_seed_fills_every_municipality(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    rows = db.session.execute(
        db.select(Municipality.code, User.role, db.func.count(User.id))
        .join(User, User.municipality_id == Municipality.id)
        .group_by(Municipality.code, User.role)
    ).all()
    counts = {(code, role): n for code, role, n in rows}
    codes = set(db.session.scalars(db.select(Municipality.code)))
    assert len(codes) == 15
    for code in codes:
        assert counts[(code, Role.COORDINATOR)] == 1
        assert counts[(code, Role.AGENT)] >= 2
        assert counts[(code, Role.EMPLOYEE)] >= 3
    agents = sum(n for (_, role), n in counts.items() if role == Role.AGENT)
    assert 90 <= agents <= 110, "about 100 agents, as in the programme"
    targets = db.session.scalar(db.select(db.func.sum(Municipality.staff_target)))
    assert 1750 <= targets <= 1850, "about 1,800 staff to train"


def test_printed_demo_logins_work(runner, client, auth):
    runner.invoke(args=["demo", "seed"])
    printed = runner.invoke(args=["demo", "logins"]).output
    assert DEMO_PASSWORD in printed
    for _, email in demo_logins():
        assert email in printed
        assert auth.login(email, DEMO_PASSWORD).status_code == 302
        auth.logout()


def test_demo_seed_refuses_a_database_with_users_unless_if_empty(runner, create_user):
    create_user()
    refused = runner.invoke(args=["demo", "seed"])
    assert refused.exit_code == 1 and "already has users" in refused.output
    skipped = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert skipped.exit_code == 0
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_demo_seed_after_course_sync_has_certified_agents_and_certificates(runner, synced_courses):
    from app.certificates.models import Certificate
    from app.courses.models import CourseCompletion

    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    completions = db.session.scalars(db.select(CourseCompletion)).all()
    assert len(completions) == 15 * 4
    assert sum(c.method == "session" for c in completions) == 15 * 2
    certificates = db.session.scalars(db.select(Certificate)).all()
    assert len(certificates) == 15 * 4
    trained_by = {c.trainer.email for c in certificates if c.trainer}
    assert "agent2.falun@demo.se" in trained_by
    untouched = db.session.scalar(db.select(User).filter_by(email="agent1.falun@demo.se"))
    assert not any(c.user_id == untouched.id for c in completions)
