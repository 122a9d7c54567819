"""Certificates fixtures: a certificate for anyone, without the clicking."""

from datetime import UTC, datetime

import pytest

from app.certificates.models import Certificate
from app.certificates.services import issue_certificate
from app.courses.models import Course, CourseCompletion
from app.extensions import db


@pytest.fixture
def make_certificate(app):
    """Factory: a completed course and its certificate for a user, without the clicking."""
    course = Course(
        slug="end-user", title="Slutanvändarutbildning", audience="employee", certificate=True
    )
    db.session.add(course)
    db.session.commit()

    def make(user, issued_at=None, session=None) -> Certificate:
        db.session.add(CourseCompletion(
            user_id=user.id, course_id=course.id, method="session" if session else "online",
            session_id=session.id if session else None,
            completed_at=issued_at or datetime.now(UTC),
        ))  # fmt: skip
        db.session.commit()
        return issue_certificate(user, course)

    make.course = course
    return make
