"""The national benchmark data, at a small scale: every count in place, the rules read it."""

from app.auth.models import User
from app.certificates.models import Certificate
from app.core.roles import Role
from app.courses.models import CourseCompletion
from app.demo.national import seed_national
from app.extensions import db
from app.municipalities.models import Municipality
from app.reports.queries import coverage_by_municipality, totals


def test_national_data_at_a_small_scale(runner, synced_courses):
    counts = seed_national(scale=0.005)
    assert counts["municipalities"] == 290
    assert db.session.scalar(db.select(db.func.count(Municipality.id))) == 290
    assert counts["employees"] == db.session.scalar(
        db.select(db.func.count(User.id)).where(User.role == Role.EMPLOYEE)
    )
    assert counts["quiz attempts"] > counts["employees"]
    certificates = db.session.scalar(db.select(db.func.count(Certificate.id)))
    completions = db.session.scalar(db.select(db.func.count(CourseCompletion.id)))
    assert certificates == completions > counts["certified agents"] > 0
    rows = coverage_by_municipality()
    total = totals(rows)
    assert len(rows) == 290 and total.agents_certified == counts["certified agents"]
    assert 0 < total.staff_trained <= counts["employees"] and total.sessions_held > 0
    coordinator = db.session.scalar(
        db.select(User).filter_by(email="koordinator.2080@national.demo")
    )
    coordinator.password_hash = None
    db.session.commit()
    result = runner.invoke(args=["demo", "seed", "--scale", "national"])
    assert result.exit_code == 1 and "already has users" in result.output
