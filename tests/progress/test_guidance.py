"""The next-step service: every state of every role, and the pages that must agree with it."""

from datetime import timedelta

import pytest

from app.certificates.models import Certificate
from app.certificates.services import revoke_certificate
from app.core.roles import Role
from app.courses.models import Audience
from app.extensions import db
from app.mail.models import MailState, OutboxMessage
from app.municipalities.facts import FACTS
from app.municipalities.services import save_facts
from app.progress.guidance import StepKind, next_step, work_overview
from app.training.models import Attendance, AttendanceStatus
from app.training.services import create_session, mark_attendance, register
from tests.support.progress import (
    attempt,
    certify_by_the_course,
    course_of,
    finish_parts,
    follow_up,
    read,
)
from tests.support.training import certify_agent, details, do_practice, move

# ---- learners: (description, setup(user, create_user) -> expected extras) --------------------


def employee_nothing(user, create_user):
    return StepKind.START_READING, {}


def employee_one_lesson(user, create_user):
    read(user, course_of(Audience.EMPLOYEE), count=1)
    return StepKind.CONTINUE_READING, {}


def employee_all_lessons(user, create_user):
    read(user, course_of(Audience.EMPLOYEE))
    return StepKind.TAKE_QUIZ, {}


def employee_no_attempts_left(user, create_user):
    course = course_of(Audience.EMPLOYEE)
    read(user, course)
    quiz = attempt(user, course, 1, passed=False)
    quiz.max_attempts = 1
    db.session.commit()
    return StepKind.QUIZ_LOCKED, {}


def employee_registered(user, create_user):
    agent = create_user(role=Role.AGENT)
    certify_agent(agent)
    training_session = create_session(agent, details())
    register(user, training_session)
    return StepKind.SESSION_AHEAD, {"training_session": training_session}


def employee_attended(user, create_user):
    agent = create_user(role=Role.AGENT)
    certify_agent(agent)
    training_session = create_session(agent, details())
    register(user, training_session)
    move(training_session, -timedelta(hours=2))
    mark_attendance(agent, training_session, {user.id: AttendanceStatus.ATTENDED})
    return StepKind.QUIZ_AFTER_SESSION, {"training_session": training_session}


def employee_practice_left(user, create_user):
    course = course_of(Audience.EMPLOYEE)
    read(user, course)
    attempt(user, course, 1)
    return StepKind.PRACTISE, {}


def employee_completed(user, create_user):
    course = course_of(Audience.EMPLOYEE)
    read(user, course)
    attempt(user, course, 1)
    do_practice(user, course)
    return StepKind.COMPLETED, {"certificate": "valid"}


def agent_nothing(user, create_user):
    return StepKind.START_READING, {}


def agent_part_one_read(user, create_user):
    read(user, course_of(Audience.AGENT), module_position=1)
    return StepKind.TAKE_QUIZ, {}


def agent_practice_left(user, create_user):
    finish_parts(user, practice=False)
    return StepKind.PRACTISE, {}


def agent_parts_done_nothing_planned(user, create_user):
    finish_parts(user)
    return StepKind.FOLLOW_UP_PENDING, {"recertify": False}


def agent_parts_done_meeting_planned(user, create_user):
    finish_parts(user)
    meeting = follow_up(create_user)
    return StepKind.REGISTER_FOLLOW_UP, {"training_session": meeting}


def agent_registered_for_follow_up(user, create_user):
    finish_parts(user)
    meeting = follow_up(create_user)
    register(user, meeting)
    return StepKind.FOLLOW_UP_AHEAD, {"training_session": meeting}


def agent_attended_unconfirmed(user, create_user):
    finish_parts(user)
    meeting = follow_up(create_user)
    register(user, meeting)
    move(meeting, -timedelta(hours=2))
    mark_attendance(create_user(role=Role.ADMIN), meeting, {user.id: AttendanceStatus.ATTENDED})
    return StepKind.PRACTICE_UNCONFIRMED, {}


def agent_certified(user, create_user):
    certify_by_the_course(user, create_user)
    return StepKind.PLAN_SESSION, {"certificate": "valid"}


def agent_with_a_planned_session(user, create_user):
    certify_agent(user)
    training_session = create_session(user, details())
    return StepKind.NEXT_SESSION, {"training_session": training_session}


def agent_with_attendance_to_record(user, create_user):
    certify_agent(user)
    training_session = create_session(user, details())
    for _ in range(3):
        register(create_user(), training_session)
    create_session(user, details(start_in=timedelta(days=9)))  # a later one waits its turn
    move(training_session, -timedelta(days=1))
    return StepKind.RECORD_ATTENDANCE, {"training_session": training_session, "count": 3}


def agent_revoked(user, create_user):
    agent_certified(user, create_user)
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=user.id))
    revoke_certificate(certificate, create_user(role=Role.ADMIN), "Fel person")
    return StepKind.FOLLOW_UP_PENDING, {"recertify": True}


LEARNER_STATES = [
    (Role.EMPLOYEE, employee_nothing),
    (Role.EMPLOYEE, employee_one_lesson),
    (Role.EMPLOYEE, employee_all_lessons),
    (Role.EMPLOYEE, employee_no_attempts_left),
    (Role.EMPLOYEE, employee_registered),
    (Role.EMPLOYEE, employee_attended),
    (Role.EMPLOYEE, employee_practice_left),
    (Role.EMPLOYEE, employee_completed),
    (Role.AGENT, agent_nothing),
    (Role.AGENT, agent_part_one_read),
    (Role.AGENT, agent_practice_left),
    (Role.AGENT, agent_parts_done_nothing_planned),
    (Role.AGENT, agent_parts_done_meeting_planned),
    (Role.AGENT, agent_registered_for_follow_up),
    (Role.AGENT, agent_attended_unconfirmed),
    (Role.AGENT, agent_certified),
    (Role.AGENT, agent_with_a_planned_session),
    (Role.AGENT, agent_with_attendance_to_record),
    (Role.AGENT, agent_revoked),
]


@pytest.mark.parametrize(
    ("role", "state"), LEARNER_STATES, ids=[state.__name__ for _, state in LEARNER_STATES]
)
def test_a_learners_next_step(role, state, create_user, synced_courses, client, auth):
    user = create_user(role=role)
    kind, expected = state(user, create_user)
    step = next_step(user)
    assert step.kind == kind
    for name, value in expected.items():
        if value == "valid":
            assert getattr(step, name) is not None and getattr(step, name).revoked_at is None
        elif name == "training_session":
            assert step.training_session.id == value.id
        else:
            assert getattr(step, name) == value, name
    # The start page leads with the same step, and says it without raw template syntax.
    auth.login_as(user)
    html = client.get("/").get_data(as_text=True)
    assert f'data-step="{kind}"' in html.split('id="next-heading"')[1].split("</section>")[0]
    assert "{{" not in html and "%(" not in html


def test_the_start_page_after_a_session_leads_to_the_quiz_in_one_click(
    create_user, synced_courses, client, auth
):
    employee = create_user()
    employee_attended(employee, create_user)
    auth.login_as(employee)
    html = client.get("/").get_data(as_text=True)
    assert "Du deltog i Resfria möten i vardagen" in html
    assert 'href="/courses/end-user/grunder/quiz"' in html
    course_page = client.get("/courses/end-user").get_data(as_text=True)
    assert 'data-step="quiz_after_session"' in course_page  # the course page agrees
    assert "Börja med:" not in course_page


def test_a_certified_agents_follow_up_and_course_pages_do_not_ask_for_the_quiz(
    create_user, synced_courses, client, auth
):
    agent = create_user(role=Role.AGENT)
    agent_certified(agent, create_user)
    meeting = db.session.scalar(db.select(Attendance.session_id).filter_by(user_id=agent.id))
    auth.login_as(agent)
    start = client.get("/").get_data(as_text=True)
    assert 'data-step="plan_session"' in start and "/certificates/mine" in start
    assert "Fortsätt med" not in start
    for url in ["/courses/agent", f"/sessions/{meeting}"]:
        page = client.get(url).get_data(as_text=True)
        assert 'data-step="plan_session"' in page, url
        assert "gör kunskapstestet i slutanvändarutbildningen" not in page.lower()


# ---- coordinators and admins ------------------------------------------------------------------


def test_a_coordinator_of_an_empty_municipality_is_asked_to_import_the_roster(
    create_user, client, auth
):
    coordinator = create_user(role=Role.COORDINATOR)
    assert work_overview(coordinator).step.kind == StepKind.IMPORT_ROSTER
    auth.login_as(coordinator)
    html = client.get("/").get_data(as_text=True)
    assert 'data-step="import_roster"' in html and "/roster" in html


def test_a_coordinator_is_asked_to_send_activation_then_to_appoint_agents_then_for_facts(
    create_user, client, auth
):
    coordinator = create_user(role=Role.COORDINATOR)
    waiting = [create_user() for _ in range(2)]
    for person in waiting:
        person.password_hash = None
    db.session.commit()
    work = work_overview(coordinator)
    assert [item.kind for item in work.attention] == [
        StepKind.SEND_ACTIVATION,
        StepKind.APPOINT_AGENTS,
        StepKind.FILL_FACTS,
    ]
    assert work.step.count == 2
    create_user(role=Role.AGENT)
    for person in waiting:
        person.password_hash = "scrypt:set"
    db.session.commit()
    assert work_overview(coordinator).step.kind == StepKind.FILL_FACTS
    assert work_overview(coordinator).step.count == len(FACTS)
    save_facts(coordinator.municipality, {fact.key: "Ifyllt" for fact in FACTS}, coordinator)
    assert work_overview(coordinator).step.kind == StepKind.FOLLOW_COVERAGE
    auth.login_as(coordinator)
    html = client.get("/").get_data(as_text=True)
    assert "flask courses sync" not in html and "Läget i Falun" in html


def test_an_admin_is_asked_to_plan_a_follow_up_when_agents_wait(
    create_user, synced_courses, client, auth
):
    admin = create_user(role=Role.ADMIN)
    finish_parts(create_user(role=Role.AGENT))
    work = work_overview(admin)
    assert work.step.kind == StepKind.PLAN_FOLLOW_UP and work.step.count == 1
    meeting = follow_up(create_user)
    work = work_overview(admin)
    assert work.step.kind == StepKind.FOLLOW_COVERAGE
    assert work.next_follow_up.id == meeting.id and work.agents_waiting == 1
    auth.login_as(admin)
    html = client.get("/").get_data(as_text=True)
    assert "flask courses sync" not in html
    assert f"/sessions/{meeting.id}" in html


def test_an_admin_is_told_about_mail_that_could_not_be_sent(create_user):
    admin = create_user(role=Role.ADMIN)
    db.session.add(
        OutboxMessage(
            kind="activation", recipient="x@falun.se", subject="s", body_text="t",
            body_html="h", state=MailState.FAILED,
        )
    )  # fmt: skip
    db.session.commit()
    assert work_overview(admin).step.kind == StepKind.MAIL_FAILED


def test_attendees_are_told_by_email_once_that_the_quiz_remains(create_user, synced_courses):
    agent = create_user(role=Role.AGENT)
    certify_agent(agent)
    waiting, done = create_user(name="Åsa Öberg"), create_user()
    employee_completed(done, create_user)
    training_session = create_session(agent, details(title="Resfria möten i Mora"))
    for person in (waiting, done):
        register(person, training_session)
    move(training_session, -timedelta(hours=2))
    everyone = {waiting.id: AttendanceStatus.ATTENDED, done.id: AttendanceStatus.ATTENDED}
    mark_attendance(agent, training_session, everyone)
    mark_attendance(agent, training_session, everyone)  # saved again: nobody is told twice
    told = db.session.scalars(db.select(OutboxMessage).filter_by(kind="attended")).all()
    assert [message.recipient for message in told] == [waiting.email]
    assert told[0].subject.startswith("Du deltog i Resfria möten i Mora")
    assert "/courses/end-user/grunder/quiz" in told[0].body_text
