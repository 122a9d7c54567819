"""Sessions for tests: a certified agent's end-user session, and a follow-up meeting."""

from datetime import UTC, datetime, timedelta

import pytest

from app.auth.models import Role
from app.certificates.models import Certificate
from app.certificates.services import issue_certificates
from app.courses.models import Audience, Course, CourseCompletion
from app.extensions import db
from app.training.models import TrainingSession
from app.training.services import SessionDetails, create_session


def certify_agent(agent, at: datetime | None = None) -> Certificate:
    """Record the agent course as completed and issue the agent certificate (the course is
    created if needed); `at` backdates both."""
    course = db.session.scalar(db.select(Course).where(Course.audience == Audience.AGENT))
    if course is None:
        course = Course(slug="agent-test", title="Mötesagentutbildning", audience=Audience.AGENT,
                        certificate=True, follow_up_required=True)  # fmt: skip
        db.session.add(course)
        db.session.flush()
    completed_at = at or datetime.now(UTC) - timedelta(days=30)
    completion = CourseCompletion(user_id=agent.id, course_id=course.id, method="online",
                                  completed_at=completed_at)  # fmt: skip
    db.session.add(completion)
    db.session.commit()
    (certificate,) = issue_certificates(course, [completion])
    db.session.commit()
    return certificate


def details(start_in=timedelta(days=2), minutes=90, capacity=None, **extra) -> SessionDetails:
    start = datetime.now(UTC) + start_in
    values = {"title": "Resfria möten i vardagen", "starts_at": start,
                  "ends_at": start + timedelta(minutes=minutes), "place": "Videorummet, Stadshuset",
                  "mode": "video", "capacity": capacity, "notes": ""}  # fmt: skip
    values.update(extra)
    return SessionDetails(**values)


def move(session: TrainingSession, start_in: timedelta, minutes=90) -> TrainingSession:
    """Shift a session in time (tests cannot wait for it to start)."""
    session.starts_at = datetime.now(UTC) + start_in
    session.ends_at = session.starts_at + timedelta(minutes=minutes)
    db.session.commit()
    return session


@pytest.fixture
def certified_agent(create_user):
    agent = create_user(role=Role.AGENT, name="Łukasz Ärlig", email="lukasz@falun.se")
    certify_agent(agent)
    return agent


@pytest.fixture
def end_user_session(certified_agent):
    return create_session(certified_agent, details(capacity=3))
