"""One transaction per use case: a crash between the steps leaves nothing half-written, and
`flask progress check` finds and repairs what an earlier crash left behind."""

from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict

from app.certificates.models import Certificate
from app.certificates.services import revoke_certificate
from app.core import events
from app.core.audit import AuditAction, AuditEntry
from app.courses.models import CourseCompletion, ModuleCompletion
from app.extensions import db
from app.mail.models import OutboxMessage
from app.municipalities.services import set_active, update_person
from app.quizzes.models import AttemptState, QuizAttempt
from app.quizzes.services import read_answers, start_attempt, submit_attempt
from app.training.models import Attendance, AttendanceStatus
from app.training.services import mark_attendance, register
from tests.support.quizzes import answer_form, read_all_lessons
from tests.support.training import move


class Crash(Exception):
    """The worker dies here."""


class CrashOn:
    """crash_on(event): the sends of that event raise, as a killed worker would stop there;
    crash_on.stop() lets the work through again."""

    def __init__(self):
        self.events = []

    def __call__(self, event):
        event.connect(self.crash)
        self.events.append(event)

    @staticmethod
    def crash(*_args, **_kwargs):
        raise Crash

    def stop(self):
        for event in self.events:
            event.disconnect(self.crash)
        self.events = []


@pytest.fixture
def crash_on():
    crash = CrashOn()
    yield crash
    crash.stop()


def count(model, **where) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(model.id)).filter_by(**where))


def submit(user, quiz):
    attempt = start_attempt(user, quiz)
    form = MultiDict(answer_form(attempt, right=True))
    return attempt, read_answers(attempt, form)


def test_a_crash_before_the_certificate_leaves_the_quiz_open_and_nothing_recorded(
    quiz_course, quiz, learner, crash_on
):
    read_all_lessons(learner, quiz_course)
    attempt, answers = submit(learner, quiz)
    crash_on(events.course_completed)  # after the completions, before the certificate
    with pytest.raises(Crash):
        submit_attempt(learner, attempt, answers)
    assert db.session.get(QuizAttempt, attempt.id).state == AttemptState.IN_PROGRESS
    assert count(ModuleCompletion, user_id=learner.id) == 0
    assert count(CourseCompletion, user_id=learner.id) == 0
    assert count(Certificate, user_id=learner.id) == 0


def test_after_a_crash_the_learner_can_submit_again_and_gets_everything(
    quiz_course, quiz, learner, crash_on
):
    read_all_lessons(learner, quiz_course)
    attempt, answers = submit(learner, quiz)
    crash_on(events.quiz_passed)
    with pytest.raises(Crash):
        submit_attempt(learner, attempt, answers)
    crash_on.stop()
    submit_attempt(learner, db.session.get(QuizAttempt, attempt.id), answers)
    assert db.session.get(QuizAttempt, attempt.id).passed is True
    assert count(CourseCompletion, user_id=learner.id) == 1
    assert count(Certificate, user_id=learner.id) == 1


def test_a_crash_while_marking_attendance_keeps_neither_marks_nor_completions(
    quiz_course, quiz, learner, end_user_session, certified_agent, crash_on
):
    read_all_lessons(learner, quiz_course)
    register(learner, end_user_session)
    move(end_user_session, timedelta(minutes=-30))
    attempt, answers = submit(learner, quiz)
    submit_attempt(learner, attempt, answers)  # online completion: the session adds nothing
    db.session.execute(db.delete(Certificate).filter_by(user_id=learner.id))
    db.session.execute(db.delete(CourseCompletion).filter_by(user_id=learner.id))
    db.session.commit()
    crash_on(events.attendance_marked)
    with pytest.raises(Crash):
        mark_attendance(certified_agent, end_user_session, {learner.id: AttendanceStatus.ATTENDED})
    row = db.session.scalar(db.select(Attendance).filter_by(user_id=learner.id))
    assert row.status == AttendanceStatus.REGISTERED
    assert count(AuditEntry, action=AuditAction.ATTENDANCE_MARKED) == 0


def test_a_crash_while_revoking_keeps_the_certificate_valid(certified_agent, create_user, crash_on):
    admin = create_user(role="admin")
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=certified_agent.id))
    crash_on(events.certificate_revoked)
    with pytest.raises(Crash):
        revoke_certificate(certificate, admin, "Felaktigt utfärdat.")
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    assert count(AuditEntry, action=AuditAction.CERTIFICATE_REVOKED) == 0


def strand(learner, quiz_course, quiz) -> QuizAttempt:
    """What a worker killed between two commits left before this change: a passed attempt,
    no completion, no certificate."""
    read_all_lessons(learner, quiz_course)
    attempt = start_attempt(learner, quiz)
    db.session.execute(
        db.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id)
        .values(state=AttemptState.SUBMITTED, score=100, passed=True, results={})
    )
    db.session.commit()
    return attempt


def test_progress_check_reports_a_stranded_learner_and_changes_nothing(
    quiz_course, quiz, learner, runner
):
    strand(learner, quiz_course, quiz)
    result = runner.invoke(args=["progress", "check"])
    assert result.exit_code == 1, result.output
    assert f"user {learner.id}, prov: missing 1 module completion(s), the course completion" in (
        result.output
    )
    assert count(CourseCompletion, user_id=learner.id) == 0
    assert count(Certificate, user_id=learner.id) == 0


def test_progress_check_repair_writes_what_is_missing_audited_and_without_mail(
    quiz_course, quiz, learner, runner
):
    strand(learner, quiz_course, quiz)
    mail_before = count(OutboxMessage)
    result = runner.invoke(args=["progress", "check", "--repair"])
    assert result.exit_code == 0, result.output
    assert "1 difference(s) repaired" in result.output
    assert count(CourseCompletion, user_id=learner.id) == 1
    assert count(Certificate, user_id=learner.id) == 1
    assert count(OutboxMessage) == mail_before
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action=AuditAction.PROGRESS_REPAIRED))
    assert entry.subject_id == learner.id and entry.details["certificate"] is True
    again = runner.invoke(args=["progress", "check"])
    assert again.exit_code == 0 and "Progress agrees with the rules." in again.output


def test_progress_check_issues_a_missing_certificate_but_never_revokes(
    quiz_course, quiz, learner, runner, create_user
):
    attempt, answers = submit(learner, quiz)
    read_all_lessons(learner, quiz_course)
    submit_attempt(learner, attempt, answers)
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=learner.id))
    revoke_certificate(certificate, create_user(role="admin"), "Prövas igen.")
    assert runner.invoke(args=["progress", "check"]).exit_code == 0  # revoked is not missing
    db.session.execute(db.delete(Certificate).filter_by(user_id=learner.id))
    db.session.commit()
    result = runner.invoke(args=["progress", "check", "--repair"])
    assert "missing the certificate" in result.output
    assert count(Certificate, user_id=learner.id, revoked_at=None) == 1


def test_a_crash_while_demoting_an_agent_keeps_role_and_certificate(
    certified_agent, create_user, crash_on
):
    coordinator = create_user(role="coordinator")
    crash_on(events.certificate_revoked)  # after the role change, before the withdrawals
    with pytest.raises(Crash):
        update_person(certified_agent, certified_agent.name, "employee", "", coordinator)
    db.session.expire_all()
    assert certified_agent.role == "agent"
    assert count(Certificate, user_id=certified_agent.id, revoked_at=None) == 1
    assert count(AuditEntry, action=AuditAction.ROLE_CHANGED) == 0


def test_a_crash_while_deactivating_an_agent_keeps_them_active_and_certified(
    certified_agent, create_user, crash_on
):
    crash_on(events.agent_role_ended)
    with pytest.raises(Crash):
        set_active(certified_agent, False, create_user(role="coordinator"))
    db.session.expire_all()
    assert certified_agent.active is True
    assert count(Certificate, user_id=certified_agent.id, revoked_at=None) == 1
