"""Writes of the certificates domain: issuing on completion, revoking."""

import logging

from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.certificates.codes import new_code
from app.certificates.models import Certificate
from app.core.time import utcnow
from app.courses.completion import course_completed
from app.courses.models import Course, CourseCompletion
from app.extensions import db
from app.training.models import TrainingSession

log = logging.getLogger(__name__)


class NotCompleted(Exception):
    """The user has not completed the course: no certificate can be issued."""


def issue_certificate(user: User, course: Course) -> Certificate:
    """Issue the user's certificate for a completed course, or return the one already issued.

    :raise NotCompleted: there is no completion of this course by this user.
    """
    existing = _certificate_of(user, course)
    if existing is not None:
        return existing
    completion = db.session.scalar(
        db.select(CourseCompletion).filter_by(user_id=user.id, course_id=course.id)
    )
    if completion is None:
        raise NotCompleted(f"{user.email} has not completed {course.slug}")
    trainer_id = None
    if completion.session_id is not None:
        trainer_id = db.session.scalar(
            db.select(TrainingSession.agent_id).filter_by(id=completion.session_id)
        )
    for _ in range(5):  # a clash of 60-bit codes is astronomically rare, but cheap to retry
        certificate = Certificate(
            code=new_code(),
            user_id=user.id,
            course_id=course.id,
            course_title=course.title,
            course_version=completion.course_version,
            holder_name=user.name,
            municipality_id=user.municipality_id,
            trainer_id=trainer_id,
            session_id=completion.session_id,
            issued_at=completion.completed_at,
        )
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
            db.session.commit()
            log.info(
                "Issued certificate %s to %s for %s", certificate.code, user.email, course.slug
            )
            return certificate
        except IntegrityError:
            existing = _certificate_of(user, course)
            if existing is not None:  # another request issued it at the same moment
                return existing
    raise RuntimeError("could not find a free certificate code")


def _certificate_of(user: User, course: Course) -> Certificate | None:
    return db.session.scalar(db.select(Certificate).filter_by(user_id=user.id, course_id=course.id))


@course_completed.connect
def _issue_on_completion(completion: CourseCompletion, user: User, course: Course) -> None:
    """Completing a course that gives a certificate issues it."""
    if course.certificate:
        issue_certificate(user, course)


def revoke_certificate(certificate: Certificate, by: User, reason: str) -> None:
    """Revoke a certificate with a reason; it stays on record and verifies as revoked."""
    if certificate.revoked:
        return
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by_id = by.id
    db.session.commit()
    log.info("Certificate %s revoked by %s: %s", certificate.code, by.email, reason)
