"""The cascade's rules: capacity races, check-in windows, completion by attendance, certificates."""

import threading
from datetime import timedelta

import pytest

from app.auth.models import User
from app.certificates.models import Certificate
from app.core.roles import Role
from app.courses.content import Quiz
from app.courses.models import CompletionMethod, Course, CourseCompletion
from app.courses.services import sync_courses
from app.extensions import db
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession
from app.training.services import (
    TrainingError,
    check_in,
    create_session,
    mark_attendance,
    register,
)
from tests.support.quizzes import pass_quiz, read_all_lessons, write_quiz_course
from tests.support.training import details, move


@pytest.mark.real_commits
def test_two_last_seat_registrations_cannot_both_win(app, create_user, certified_agent):
    session = create_session(certified_agent, details(capacity=1))
    people = [create_user() for _ in range(6)]
    barrier = threading.Barrier(len(people), timeout=20)
    outcomes = []

    def attempt(user_id: int) -> None:
        with app.app_context():
            user, own = db.session.get(User, user_id), db.session.get(TrainingSession, session.id)
            barrier.wait()
            try:
                register(user, own)
                outcomes.append("won")
            except TrainingError:
                outcomes.append("full")

    threads = [threading.Thread(target=attempt, args=(p.id,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * 5 + ["won"]
    db.session.expire_all()
    assert db.session.get(TrainingSession, session.id).registered_count == 1
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 1


@pytest.mark.parametrize(
    ("start_in", "minutes", "ok"),
    [
        (timedelta(minutes=31), 60, False),  # too early
        (timedelta(minutes=29), 60, True),  # the window opens 30 minutes before
        (-timedelta(minutes=59), 60, True),  # still on
        (-timedelta(minutes=61), 60, False),  # over
    ],
    ids=["31-min-before", "29-min-before", "last-minute", "after-the-end"],
)
def test_check_in_window(create_user, certified_agent, start_in, minutes, ok):
    session = create_session(certified_agent, details())
    move(session, start_in, minutes)
    employee = create_user()
    if ok:
        check_in(employee, session.check_in_code.lower())
        row = db.session.scalar(db.select(Attendance).filter_by(user_id=employee.id))
        assert row.status == AttendanceStatus.ATTENDED and row.marked_by_id == employee.id
        assert row.marked_at is not None
    else:
        with pytest.raises(TrainingError, match="30 minuter före start"):
            check_in(employee, session.check_in_code)
        assert db.session.scalar(db.select(Attendance).filter_by(user_id=employee.id)) is None


def test_wrong_code_and_other_municipality_are_refused(create_user, certified_agent):
    session = move(create_session(certified_agent, details()), -timedelta(minutes=5))
    with pytest.raises(TrainingError, match="Koden gäller inte just nu"):
        check_in(create_user(), "ZZZZZZ")
    with pytest.raises(TrainingError, match="annan kommun"):
        check_in(create_user(municipality_code="2062"), session.check_in_code)
    session.cancelled_at = session.starts_at
    db.session.commit()
    with pytest.raises(TrainingError, match="Koden gäller inte just nu"):
        check_in(create_user(), session.check_in_code)


@pytest.fixture
def end_user_course(app, tmp_path) -> Course:
    sync_courses(write_quiz_course(tmp_path / "c"))
    return db.session.scalar(db.select(Course))


def test_attendance_plus_quiz_completes_via_session_with_the_agent_on_the_certificate(
    end_user_course, create_user, certified_agent
):
    session = create_session(certified_agent, details())
    employee = create_user(name="Åsa Öberg")
    register(employee, session)
    move(session, -timedelta(minutes=30))
    mark_attendance(certified_agent, session, {employee.id: AttendanceStatus.ATTENDED})
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=employee.id)) is None, (
        "attended, quiz pending"
    )
    pass_quiz(employee, db.session.scalar(db.select(Quiz)))
    completion = db.session.scalar(db.select(CourseCompletion).filter_by(user_id=employee.id))
    assert completion.method == CompletionMethod.SESSION and completion.session_id == session.id
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=employee.id))
    assert certificate.trainer_id == certified_agent.id


def test_quiz_first_then_attendance_also_completes(end_user_course, create_user, certified_agent):
    session = create_session(certified_agent, details())
    employee = create_user()
    pass_quiz(employee, db.session.scalar(db.select(Quiz)))
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=employee.id)) is None
    move(session, -timedelta(minutes=10))
    check_in(employee, session.check_in_code)
    completion = db.session.scalar(db.select(CourseCompletion).filter_by(user_id=employee.id))
    assert completion is not None and completion.method == CompletionMethod.SESSION


def test_agent_course_completes_only_after_the_follow_up_meeting(app, tmp_path, create_user):
    sync_courses(write_quiz_course(tmp_path / "c", audience="agent", follow_up=True))
    course = db.session.scalar(db.select(Course))
    admin, agent = create_user(role=Role.ADMIN), create_user(role=Role.AGENT)
    read_all_lessons(agent, course)
    pass_quiz(agent, db.session.scalar(db.select(Quiz)))
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=agent.id)) is None
    meeting = create_session(admin, details(title="Uppföljningsmöte via webben", mode="web"))
    assert meeting.kind == SessionKind.AGENT_FOLLOW_UP and meeting.municipality_id is None
    register(agent, meeting)
    move(meeting, -timedelta(minutes=45))
    mark_attendance(admin, meeting, {agent.id: AttendanceStatus.ATTENDED})
    completion = db.session.scalar(db.select(CourseCompletion).filter_by(user_id=agent.id))
    assert completion is not None and completion.method == CompletionMethod.ONLINE
    assert db.session.scalar(db.select(Certificate).filter_by(user_id=agent.id)) is not None
    # Now certified: the agent may run end-user sessions.
    assert create_session(agent, details()).kind == SessionKind.END_USER


def test_employees_cannot_join_follow_up_meetings(create_user):
    meeting = create_session(create_user(role=Role.ADMIN), details())
    move(meeting, -timedelta(minutes=5))
    with pytest.raises(TrainingError, match="för mötesagenter"):
        check_in(create_user(role=Role.EMPLOYEE), meeting.check_in_code)


def test_walk_ins_and_check_ins_respect_cancellation_and_the_trainer(create_user, certified_agent):
    from app.training.services import add_walk_in

    session = move(create_session(certified_agent, details()), -timedelta(minutes=5))
    with pytest.raises(TrainingError, match="sitt eget tillfälle"):
        check_in(certified_agent, session.check_in_code)
    with pytest.raises(TrainingError, match="sitt eget tillfälle"):
        add_walk_in(certified_agent, session, certified_agent)
    session.cancelled_at = session.starts_at
    db.session.commit()
    with pytest.raises(TrainingError, match="inställt"):
        add_walk_in(certified_agent, session, create_user())
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 0
    assert db.session.get(TrainingSession, session.id).registered_count == 0
