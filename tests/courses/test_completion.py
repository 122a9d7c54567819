"""Completion rules (DESIGN §5): modules, courses, the follow-up rule, and completion via a session."""

from datetime import UTC, datetime, timedelta

import pytest

from app.core.events import course_completed
from app.core.roles import Role
from app.courses.content import Quiz
from app.courses.models import CompletionMethod, Course, CourseCompletion, ModuleCompletion
from app.courses.services import sync_courses
from app.extensions import db
from app.progress.completion import update_progress
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession
from tests.support.quizzes import pass_quiz, read_all_lessons, write_quiz_course
from tests.support.training import certify_agent


def completions(user) -> list[CourseCompletion]:
    db.session.expire_all()
    return db.session.scalars(db.select(CourseCompletion).filter_by(user_id=user.id)).all()


def module_done(user) -> bool:
    return db.session.scalar(db.select(ModuleCompletion.id).filter_by(user_id=user.id)) is not None


@pytest.fixture
def events():
    """Every course_completed signal sent during the test."""
    received = []

    def receiver(course, completions, live):
        received.extend((completion.user_id, course.slug) for completion in completions)

    course_completed.connect(receiver)
    yield received
    course_completed.disconnect(receiver)


def test_lessons_alone_do_not_complete_a_module_with_a_quiz(quiz_course, learner):
    read_all_lessons(learner, quiz_course)
    assert not module_done(learner) and completions(learner) == []


def test_passed_quiz_alone_does_not_complete_the_module(quiz_course, quiz, learner):
    pass_quiz(learner, quiz)
    assert not module_done(learner) and completions(learner) == []


def test_failed_quiz_does_not_complete(quiz_course, quiz, learner):
    read_all_lessons(learner, quiz_course)
    pass_quiz(learner, quiz, right=False)
    assert not module_done(learner)


def test_lessons_and_passed_quiz_complete_module_and_course_once(
    quiz_course, quiz, learner, events
):
    read_all_lessons(learner, quiz_course)
    pass_quiz(learner, quiz)
    assert module_done(learner)
    (completion,) = completions(learner)
    assert completion.method == CompletionMethod.ONLINE and completion.session_id is None
    assert completion.course_version == 1
    update_progress(learner, quiz_course)
    db.session.commit()
    assert len(completions(learner)) == 1
    assert events == [(learner.id, "prov")], "subscribers hear of a completion exactly once"


def test_module_without_quiz_completes_when_lessons_are_viewed(app, tmp_path, learner):
    root = write_quiz_course(tmp_path / "c")
    (root / "prov/1-grund/quiz.yml").unlink()
    sync_courses(root)
    course = db.session.scalar(db.select(Course))
    read_all_lessons(learner, course)
    assert module_done(learner) and len(completions(learner)) == 1


def follow_up_session(attended_by, status=AttendanceStatus.ATTENDED, cancelled=False):
    start = datetime.now(UTC) - timedelta(days=1)
    session = TrainingSession(
        kind=SessionKind.AGENT_FOLLOW_UP,
        title="Uppföljningsmöte via webben",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        cancelled_at=start if cancelled else None,
    )
    db.session.add(session)
    db.session.flush()
    db.session.add(Attendance(session_id=session.id, user_id=attended_by.id, status=status))
    db.session.commit()
    return session


@pytest.fixture
def agent_course(app, tmp_path) -> Course:
    sync_courses(write_quiz_course(tmp_path / "c", audience="agent", follow_up=True))
    return db.session.scalar(db.select(Course))


@pytest.mark.parametrize(
    ("status", "cancelled", "complete"),
    [
        (None, False, False),
        (AttendanceStatus.REGISTERED, False, False),
        (AttendanceStatus.NO_SHOW, False, False),
        (AttendanceStatus.ATTENDED, True, False),
        (AttendanceStatus.ATTENDED, False, True),
    ],
    ids=["no-meeting", "registered-only", "no-show", "cancelled-meeting", "attended"],
)
def test_agent_course_needs_an_attended_follow_up_meeting(
    agent_course, create_user, status, cancelled, complete
):
    agent = create_user(role=Role.AGENT)
    read_all_lessons(agent, agent_course)
    pass_quiz(agent, db.session.scalar(db.select(Quiz)))
    assert completions(agent) == []
    if status:
        follow_up_session(agent, status, cancelled)
    update_progress(agent, agent_course)
    db.session.commit()
    assert (len(completions(agent)) == 1) is complete


def end_user_session(agent, attendee, status=AttendanceStatus.ATTENDED) -> TrainingSession:
    start = datetime.now(UTC) - timedelta(hours=3)
    session = TrainingSession(
        kind=SessionKind.END_USER,
        title="Resfria möten i vardagen",
        agent_id=agent.id,
        municipality_id=agent.municipality_id,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
    )
    db.session.add(session)
    db.session.flush()
    db.session.add(Attendance(session_id=session.id, user_id=attendee.id, status=status))
    db.session.commit()
    return session


def certify(agent) -> None:
    """Make the agent certified: the agent course completed and its certificate issued."""
    certify_agent(agent)


def test_attending_a_certified_agents_session_and_passing_the_quiz_completes_via_session(
    quiz_course, quiz, learner, create_user
):
    agent = create_user(role=Role.AGENT)
    certify(agent)
    session = end_user_session(agent, learner)
    pass_quiz(learner, quiz)  # no lessons read: the session stands in for them
    (completion,) = completions(learner)
    assert completion.method == CompletionMethod.SESSION and completion.session_id == session.id


def test_attendance_without_the_quiz_is_not_completion(quiz_course, quiz, learner, create_user):
    agent = create_user(role=Role.AGENT)
    certify(agent)
    end_user_session(agent, learner)
    update_progress(learner, quiz_course)
    db.session.commit()
    assert completions(learner) == []


def test_session_of_an_uncertified_agent_does_not_count(quiz_course, quiz, learner, create_user):
    end_user_session(create_user(role=Role.AGENT), learner)
    pass_quiz(learner, quiz)
    assert completions(learner) == []


def test_course_progress_shows_on_course_and_start_pages(client, auth, quiz_course, quiz, learner):
    auth.login_as(learner)
    client.get("/courses/prov/grund/forsta")
    client.get("/courses/prov/grund/andra")
    course_page = " ".join(client.get("/courses/prov").get_data(as_text=True).split())
    assert "Du har läst 2 av 2 lektioner och klarat 0 av 1 kunskapstest." in course_page
    assert "Gör kunskapstestet: Grunderna" in course_page
    start_page = " ".join(client.get("/").get_data(as_text=True).split())
    assert "Gör kunskapstestet: Grunderna" in start_page
    pass_quiz(learner, quiz)
    course_page = " ".join(client.get("/courses/prov").get_data(as_text=True).split())
    assert "Du har slutfört kursen." in course_page and "Godkänt" in course_page
    assert "Slutförd" in client.get("/").get_data(as_text=True)
