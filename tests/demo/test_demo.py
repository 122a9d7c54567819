"""`flask demo seed`: people in every municipality, with the printed demo logins working."""

from app.auth.models import User
from app.core.roles import Role
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


def test_demo_seed_after_course_sync_shows_the_cascade(runner, synced_courses):
    from app.certificates.models import Certificate
    from app.courses.models import Course, CourseCompletion
    from app.training.models import Attendance, TrainingSession

    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    completions = db.session.execute(
        db.select(Course.audience, CourseCompletion.method, db.func.count(CourseCompletion.id))
        .join(Course)
        .group_by(Course.audience, CourseCompletion.method)
    ).all()
    counts = {(audience, method): n for audience, method, n in completions}
    agents = db.session.scalar(db.select(db.func.count(User.id)).where(User.role == Role.AGENT))
    certified = counts[("agent", "online")]
    assert 0.75 * agents <= certified < agents, "most agents certified, a few in progress"
    trained = counts[("employee", "online")] + counts[("employee", "session")]
    assert (
        500 <= trained <= 1800 and counts[("employee", "session")] > counts[("employee", "online")]
    )
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == certified + trained
    assert db.session.scalar(db.select(db.func.count(TrainingSession.id))) > 30
    assert (
        db.session.scalar(
            db.select(TrainingSession.id).where(TrainingSession.check_in_code.is_(None))
        )
        is None
    )
    assert (
        db.session.scalar(
            db.select(db.func.count(Attendance.id)).where(Attendance.status == "no_show")
        )
        > 0
    )
    rates = [
        trained_here / municipality.staff_target
        for municipality, trained_here in db.session.execute(
            db.select(Municipality, db.func.count(CourseCompletion.id))
            .join(User, User.municipality_id == Municipality.id)
            .join(CourseCompletion, CourseCompletion.user_id == User.id)
            .join(Course)
            .where(Course.audience == "employee")
            .group_by(Municipality.id)
        )
    ]
    assert max(rates) - min(rates) > 0.3, "some municipalities ahead, some behind"
    by_email = {
        u.email: u
        for u in db.session.scalars(db.select(User).where(User.email.like("%.falun@demo.se")))
    }
    holders = set(db.session.scalars(db.select(Certificate.user_id)))
    assert by_email["agent1.falun@demo.se"].id not in holders
    assert by_email["medarbetare1.falun@demo.se"].id not in holders
    assert {by_email[f"medarbetare{n}.falun@demo.se"].id for n in (2, 3, 4)} <= holders
    trainer = db.session.scalar(
        db.select(Certificate.trainer_id).where(
            Certificate.user_id == by_email["medarbetare3.falun@demo.se"].id
        )
    )
    assert trainer == by_email["agent2.falun@demo.se"].id


def test_demo_agent3_can_take_the_last_step_to_certification(runner, synced_courses):
    from app.certificates.models import Certificate
    from app.courses.models import CourseCompletion
    from app.practice.queries import trainer_practice
    from app.training.models import TrainingSession
    from app.training.services import check_in, confirm_practice

    runner.invoke(args=["demo", "seed"])
    agent3 = db.session.scalar(db.select(User).filter_by(email="agent3.falun@demo.se"))
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=agent3.id)) is None
    check_in(agent3, "resa24")
    # present, with every practice task ticked: the trainer's confirmation is the last step
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=agent3.id)) is None
    meeting = db.session.scalar(db.select(TrainingSession).filter_by(check_in_code="RESA24"))
    admin = db.session.scalar(db.select(User).filter_by(email="admin@demo.se"))
    assert confirm_practice(meeting, trainer_practice(), [agent3.id], admin) == 1
    completion = db.session.scalar(db.select(CourseCompletion).filter_by(user_id=agent3.id))
    assert completion is not None and completion.method == "online"
    assert db.session.scalar(db.select(Certificate).filter_by(user_id=agent3.id)) is not None
