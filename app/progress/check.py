"""`flask progress check`: find (and with repair, write) what the rules say is missing.

Before one transaction per use case, a crash between a quiz's commit and its completion's could
leave a passed attempt without its completion or certificate. The check compares, for everyone
who has started a course and not completed it, what the rules conclude with what is stored, and
for every completion of a course that gives a certificate, whether one was ever issued. It
never withdraws a completion or revokes a certificate (content that grew later is no reason).
"""

import logging
from dataclasses import dataclass

from sqlalchemy import exists, select, union

from app.auth.models import User
from app.certificates.models import Certificate
from app.certificates.services import issue_certificates
from app.core.audit import AuditAction, audit
from app.courses.content import Practice, PracticeTask, Quiz
from app.courses.models import (
    Course,
    CourseCompletion,
    Lesson,
    LessonView,
    Module,
    ModuleCompletion,
)
from app.extensions import db
from app.practice.models import PracticeCheck
from app.progress.completion import update_progress
from app.progress.rules import marked_attended
from app.quizzes.models import QuizAttempt
from app.training.models import Attendance

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finding:
    """What was missing for one person in one course (repaired or not)."""

    user_id: int
    course_slug: str
    module_completions: int
    course_completion: bool
    certificate: bool

    def __str__(self) -> str:
        missing = (
            [f"{self.module_completions} module completion(s)"] if self.module_completions else []
        )
        missing += ["the course completion"] if self.course_completion else []
        missing += ["the certificate"] if self.certificate else []
        return f"user {self.user_id}, {self.course_slug}: missing {', '.join(missing)}"


def _started_not_completed():
    """(user id, course id) of everyone with a step in a course they have not completed."""
    steps = union(
        select(LessonView.user_id, Module.course_id)
        .join(Lesson, Lesson.id == LessonView.lesson_id)
        .join(Module, Module.id == Lesson.module_id),
        select(QuizAttempt.user_id, Module.course_id)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Module, Module.id == Quiz.module_id)
        .where(QuizAttempt.passed.is_(True)),
        select(PracticeCheck.user_id, Module.course_id)
        .join(PracticeTask, PracticeTask.id == PracticeCheck.task_id)
        .join(Practice, Practice.id == PracticeTask.practice_id)
        .join(Module, Module.id == Practice.module_id),
        select(Attendance.user_id, Course.id)
        .join(Course, Course.retired_at.is_(None))
        .where(marked_attended()),
    ).subquery()
    completed = exists().where(
        CourseCompletion.user_id == steps.c.user_id,
        CourseCompletion.course_id == steps.c.course_id,
    )
    return (
        select(steps.c.user_id, steps.c.course_id)
        .where(~completed)
        .order_by(steps.c.user_id, steps.c.course_id)
    )


def _completions_without_certificate():
    """Completions of a course that gives certificates, for which none was ever issued."""
    issued = exists().where(
        Certificate.user_id == CourseCompletion.user_id,
        Certificate.course_id == CourseCompletion.course_id,
    )
    return (
        select(CourseCompletion)
        .join(Course, Course.id == CourseCompletion.course_id)
        .where(Course.certificate.is_(True), ~issued)
        .order_by(CourseCompletion.id)
    )


def _count(model, user_id: int, course_id: int) -> int:
    """Rows of a completion or certificate model for the person in the course."""
    query = select(db.func.count(model.id)).where(model.user_id == user_id)
    if model is ModuleCompletion:
        query = query.join(Module, Module.id == model.module_id).where(
            Module.course_id == course_id
        )
    else:
        query = query.where(model.course_id == course_id)
    return db.session.scalar(query)


def check_progress(repair: bool = False) -> list[Finding]:
    """Every person and course where stored completions or certificates are missing.

    With `repair`, write what is missing (without e-mail; an audit entry each) and commit;
    without, change nothing. A fixed number of queries per person who started and did not
    complete, plus one per completion without a certificate.
    """
    findings = []
    courses = {course.id: course for course in db.session.scalars(select(Course))}
    pairs = db.session.execute(_started_not_completed()).all()
    for user_id, course_id in pairs:
        course, user = courses[course_id], db.session.get(User, user_id)
        if course.retired_at is not None:
            continue
        before = [
            _count(m, user_id, course_id) for m in (ModuleCompletion, CourseCompletion, Certificate)
        ]
        savepoint = db.session.begin_nested()
        update_progress(user, course, live=False)
        after = [
            _count(m, user_id, course_id) for m in (ModuleCompletion, CourseCompletion, Certificate)
        ]
        if after != before:
            findings.append(Finding(user_id, course.slug, after[0] - before[0],
                                    after[1] > before[1], after[2] > before[2]))  # fmt: skip
        if repair and after != before:
            savepoint.commit()
        else:
            savepoint.rollback()
    for completion in db.session.scalars(_completions_without_certificate()).all():
        findings.append(Finding(completion.user_id, courses[completion.course_id].slug, 0,
                                False, True))  # fmt: skip
        if repair:
            issue_certificates(courses[completion.course_id], [completion])
    if repair:
        for finding in findings:
            audit(None, AuditAction.PROGRESS_REPAIRED, finding.user_id, course=finding.course_slug,
                  modules=finding.module_completions, completion=finding.course_completion,
                  certificate=finding.certificate)  # fmt: skip
        db.session.commit()
        log.info("Progress check repaired %d finding(s)", len(findings))
    return findings
