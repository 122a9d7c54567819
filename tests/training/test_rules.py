"""Certification as a state, the cascade's time rules, certificates as records, attendance cost."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from app.certificates.models import Certificate
from app.certificates.services import revoke_certificate
from app.core.roles import Role
from app.courses.models import CompletionMethod, Course, CourseCompletion
from app.extensions import db
from app.progress.queries import is_certified
from app.quizzes.services import read_answers, start_attempt, submit_attempt
from app.reports import queries as reports
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession
from app.training.services import (
    SessionDetails,
    TrainingError,
    add_walk_in,
    cancel_session,
    create_session,
    mark_attendance,
    register,
    update_session,
)
from tests.support.jobs import download
from tests.support.queries import QueryCounter
from tests.support.quizzes import answer_form
from tests.support.training import certify_agent, details, move


def agent_certificate(agent) -> Certificate:
    return db.session.scalar(
        db.select(Certificate).filter_by(user_id=agent.id, revoked_at=None, session_id=None)
    )


def revoke(agent, create_user):
    revoke_certificate(agent_certificate(agent), create_user(role=Role.ADMIN), "Fel person")


def demote(agent):
    agent.role = Role.EMPLOYEE  # what a roster import does to someone who is no longer an agent
    db.session.commit()


def running_session(agent, create_user, people=2):
    """A session of the agent that started an hour ago, with people registered."""
    training_session = create_session(agent, details(capacity=None))
    staff = [create_user() for _ in range(people)]
    for person in staff:
        register(person, training_session)
    move(training_session, -timedelta(hours=1))
    return training_session, staff


def session_actions(training_session, person):
    base = f"/sessions/{training_session.id}"
    return [
        ("get", f"{base}/edit", None),
        ("post", f"{base}/edit", {"title": "Ny rubrik"}),
        ("post", f"{base}/cancel", None),
        ("post", f"{base}/participants", {"user_id": str(person.id)}),
        ("post", f"{base}/attendance", {"action": "all"}),
        ("get", f"{base}/attendance-sheet.pdf", None),
    ]


@pytest.mark.parametrize("change", [revoke, demote], ids=["revoked", "demoted"])
def test_an_agent_no_longer_certified_cannot_manage_sessions(
    client, auth, create_user, certified_agent, change
):
    training_session, staff = running_session(certified_agent, create_user)
    walk_in = create_user()
    assert is_certified(certified_agent)
    if change is revoke:
        revoke(certified_agent, create_user)
    else:
        demote(certified_agent)
    assert not is_certified(certified_agent)
    auth.login_as(certified_agent)
    for method, url, data in session_actions(training_session, walk_in):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 404, (method, url)
    db.session.expire_all()
    assert (
        db.session.scalar(db.select(Attendance.id).filter_by(status=AttendanceStatus.ATTENDED))
        is None
        and training_session.cancelled_at is None
    ), "nothing was written"
    page = client.get(f"/sessions/{training_session.id}").get_data(as_text=True)
    assert "kan bara läsas" in page and staff[0].name in page, "their own session, read-only"
    assert training_session.check_in_code not in page
    assert client.get("/sessions/new").status_code == (302 if change is revoke else 403)
    client.post("/sessions/new", data={"title": "Försök"})
    assert db.session.scalar(db.select(db.func.count(TrainingSession.id))) == 1
    assert client.get("/kit/").status_code == 403


def test_revoking_shows_in_coverage_at_once_and_a_new_follow_up_recertifies(
    create_user, certified_agent, municipalities, client, auth
):
    falun = municipalities["2080"]
    training_session, _ = running_session(certified_agent, create_user)
    assert reports.coverage_of(falun).agents_certified == 1
    revoke(certified_agent, create_user)
    row = reports.coverage_of(falun)
    assert row.agents_certified == 0
    assert row.sessions_held == 1, "held while certified: it still counts"
    auth.login_as(create_user(role=Role.COORDINATOR))
    assert client.get("/api/v1/coverage").json["municipalities"][0]["agents_certified"] == 0

    revoked = db.session.scalar(db.select(Certificate).filter_by(user_id=certified_agent.id))
    revoked.revoked_at -= timedelta(days=1)  # the new follow-up meeting comes after revocation
    db.session.commit()
    admin = create_user(role=Role.ADMIN)
    follow_up = create_session(admin, details(start_in=timedelta(days=1)))
    register(certified_agent, follow_up)
    move(follow_up, -timedelta(minutes=30))
    mark_attendance(admin, follow_up, {certified_agent.id: AttendanceStatus.ATTENDED})
    assert is_certified(certified_agent)
    certificates = db.session.scalars(
        db.select(Certificate).filter_by(user_id=certified_agent.id)
    ).all()
    assert sorted(c.revoked for c in certificates) == [False, True], "the old one stays on record"
    assert reports.coverage_of(falun).agents_certified == 1


def test_a_session_started_after_revocation_does_not_count(
    create_user, certified_agent, municipalities
):
    training_session, _ = running_session(certified_agent, create_user)
    certificate = agent_certificate(certified_agent)
    certificate.revoked_at = training_session.starts_at - timedelta(minutes=1)
    db.session.commit()
    assert reports.coverage_of(municipalities["2080"]).sessions_held == 0


@pytest.mark.real_commits
def test_a_session_can_be_recorded_afterwards_within_the_window(
    client, auth, certified_agent, create_user
):
    auth.login_as(certified_agent)
    start = datetime.now(UTC) - timedelta(days=3)
    training_session = create_session(certified_agent, details(start_in=-timedelta(days=3)))
    assert training_session.recorded_after_the_fact
    person = create_user(name="Björn Ängström")
    response = client.post(
        f"/sessions/{training_session.id}/participants", data={"user_id": str(person.id)}
    )
    assert response.status_code == 302
    page = client.get(f"/sessions/{training_session.id}").get_data(as_text=True)
    assert "i efterhand" in page and certified_agent.name in page
    assert (
        db.session.scalar(db.select(Attendance.status).filter_by(user_id=person.id))
        == AttendanceStatus.ATTENDED
    )
    with pytest.raises(TrainingError):
        create_session(certified_agent, details(start_in=-timedelta(days=15)))
    assert start < datetime.now(UTC)
    auth.logout()
    auth.login_as(create_user(role=Role.COORDINATOR))
    export = download(client, "/reports/2080/sessions.csv").data.decode("utf-8-sig")
    (line,) = list(csv.DictReader(io.StringIO(export), delimiter=";"))
    assert line["Registrerat i efterhand"].endswith(certified_agent.name)
    assert (line["Räknas som hållet"], line["Deltagare"]) == ("ja", "1")
    (statement,) = [
        s for s in client.get("/api/v1/xapi/statements").json["statements"]
        if s["verb"]["id"].endswith("/attended")
    ]  # fmt: skip
    (extension,) = statement["context"]["extensions"].values()
    assert extension["recorded_at"].startswith(str(datetime.now(UTC).year))


def test_a_session_cannot_be_moved_back_beyond_the_window_or_after_attendance(
    certified_agent, create_user
):
    training_session = create_session(certified_agent, details())
    back = SessionDetails(**{**details(start_in=-timedelta(days=30)).__dict__})
    with pytest.raises(TrainingError, match="14 dagarna"):
        update_session(training_session, back)
    person = create_user()
    register(person, training_session)
    move(training_session, -timedelta(hours=2))
    mark_attendance(certified_agent, training_session, {person.id: AttendanceStatus.ATTENDED})
    later = SessionDetails(**{**details(start_in=-timedelta(hours=1)).__dict__})
    with pytest.raises(TrainingError, match="tiden kan inte"):
        update_session(training_session, later)
    with pytest.raises(TrainingError, match="kan inte ställas in"):
        cancel_session(training_session)


def test_late_attendance_closes_after_the_window_and_an_admin_may_reopen(
    client, auth, certified_agent, create_user
):
    training_session, staff = running_session(certified_agent, create_user)
    move(training_session, -timedelta(days=10))
    assert (
        mark_attendance(certified_agent, training_session, {staff[0].id: AttendanceStatus.ATTENDED})
        == 1
    ), "ten days after: still open"
    move(training_session, -timedelta(days=15))
    with pytest.raises(TrainingError, match="stängt"):
        mark_attendance(certified_agent, training_session, {staff[1].id: AttendanceStatus.ATTENDED})
    with pytest.raises(TrainingError, match="stängt"):
        add_walk_in(certified_agent, training_session, create_user())
    auth.login_as(certified_agent)
    assert "Tillfället är stängt" in client.get(f"/sessions/{training_session.id}").get_data(
        as_text=True
    )
    assert client.get(f"/sessions/{training_session.id}/edit").status_code == 302
    client.post(f"/sessions/{training_session.id}/reopen", data={"reason": "Glömde"})
    assert training_session.reopened_at is None, "agents cannot reopen"
    admin = create_user(role=Role.ADMIN)
    auth.logout()
    auth.login_as(admin)
    client.post(f"/sessions/{training_session.id}/reopen", data={"reason": ""})
    db.session.expire_all()
    assert training_session.reopened_at is None, "a reason is required"
    client.post(f"/sessions/{training_session.id}/reopen", data={"reason": "Listan kom sent"})
    db.session.expire_all()
    assert training_session.reopened_by_id == admin.id
    assert training_session.reopen_reason == "Listan kom sent"
    assert (
        mark_attendance(certified_agent, training_session, {staff[1].id: AttendanceStatus.ATTENDED})
        == 1
    )


def pass_end_user_quiz(person, quiz):
    attempt = start_attempt(person, quiz)
    submit_attempt(person, attempt, read_answers(attempt, MultiDict(answer_form(attempt))))


def test_marked_absent_after_all_loses_the_completion_and_its_certificate(
    quiz_course, quiz, certified_agent, create_user, municipalities
):
    training_session, (person, _) = running_session(certified_agent, create_user)
    mark_attendance(certified_agent, training_session, {person.id: AttendanceStatus.ATTENDED})
    pass_end_user_quiz(person, quiz)
    completion = db.session.scalar(db.select(CourseCompletion).filter_by(user_id=person.id))
    assert completion.method == CompletionMethod.SESSION
    assert reports.coverage_of(municipalities["2080"]).trained_via_session == 1
    mark_attendance(certified_agent, training_session, {person.id: AttendanceStatus.NO_SHOW})
    db.session.expire_all()
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=person.id)) is None
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=person.id))
    assert certificate.revoked and "frånvarande" in certificate.revoked_reason
    assert reports.coverage_of(municipalities["2080"]).staff_trained == 0


@pytest.mark.real_commits
def test_a_certificate_keeps_the_names_it_was_issued_with(
    client, auth, quiz_course, quiz, certified_agent, create_user
):
    training_session, (person, _) = running_session(certified_agent, create_user)
    mark_attendance(certified_agent, training_session, {person.id: AttendanceStatus.ATTENDED})
    pass_end_user_quiz(person, quiz)
    certified_agent.name, person.name = "Nytt Namn", "Annat Namn"
    quiz_course.title = "Ny kurstitel"
    db.session.commit()
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=person.id))
    assert certificate.trainer_name == "Łukasz Ärlig"
    auth.login_as(create_user(role=Role.COORDINATOR))
    rows = list(csv.reader(io.StringIO(download(client, "/certificates/list.csv").data.decode(
        "utf-8-sig")), delimiter=";"))  # fmt: skip
    line = next(row for row in rows if row[2] == person.email)
    assert "Łukasz Ärlig" in line and "Nytt Namn" not in line
    assert "Annat Namn" not in line and "Ny kurstitel" not in line


@pytest.mark.parametrize("kind", [SessionKind.END_USER, SessionKind.AGENT_FOLLOW_UP])
def test_marking_attendance_costs_the_same_for_5_and_50(
    quiz_course, certified_agent, create_user, kind
):
    admin = create_user(role=Role.ADMIN)
    trainer = certified_agent if kind == SessionKind.END_USER else admin
    role = Role.EMPLOYEE if kind == SessionKind.END_USER else Role.AGENT
    counts = []
    for size in (5, 50):
        training_session = create_session(trainer, details())
        people = [create_user(role=role) for _ in range(size)]
        for person in people:
            register(person, training_session)
        move(training_session, -timedelta(minutes=10))
        marks = {person.id: AttendanceStatus.ATTENDED for person in people}
        with QueryCounter(db.engine) as counter:
            assert mark_attendance(trainer, training_session, marks) == size
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_demo_style_backdated_certification_counts_from_its_date(create_user, municipalities):
    agent = create_user(role=Role.AGENT)
    certify_agent(agent, at=datetime.now(UTC) - timedelta(days=1))
    early = create_session(agent, details())
    move(early, -timedelta(days=3))  # before the certificate: does not count
    late = create_session(agent, details())
    move(late, -timedelta(hours=3))
    assert reports.coverage_of(municipalities["2080"]).sessions_held == 1


@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_leaving_the_agent_role_ends_certification_and_later_sessions_do_not_count(
    client,
    auth,
    quiz_course,
    quiz,
    certified_agent,
    create_user,
    municipalities,
    tmp_path,
    runner,
    change,
):
    training_session = create_session(certified_agent, details(start_in=timedelta(days=2)))
    auth.login_as(create_user(role=Role.COORDINATOR))
    if change == "deactivate":
        client.post(f"/municipalities/2080/people/{certified_agent.id}/active")
    else:
        roster = tmp_path / "lista.csv"
        roster.write_text(f"email;name;role\n{certified_agent.email};Łukasz Ärlig;employee\n")
        result = runner.invoke(args=["users", "import", str(roster), "--municipality", "2080"])
        assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert not is_certified(certified_agent)
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=certified_agent.id))
    assert certificate.revoked and "aktiv mötesagent" in certificate.revoked_reason
    certificate.revoked_at -= timedelta(hours=1)  # the change came an hour before the session
    db.session.commit()
    move(training_session, -timedelta(minutes=10))
    person = create_user()
    with pytest.raises(TrainingError, match="inte längre certifierad"):
        check_in_with(person, training_session)
    row = reports.coverage_of(municipalities["2080"])
    assert (row.sessions_held, row.trained_via_session) == (0, 0)


def check_in_with(person, training_session):
    from app.training.services import check_in

    return check_in(person, training_session.check_in_code)


def test_deactivating_untrained_people_does_not_raise_coverage(
    client, auth, courses, create_user, municipalities
):
    from app.municipalities.roster import set_target_from_roster

    falun = municipalities["2080"]
    falun.staff_target, falun.staff_target_explicit = None, False
    staff = [create_user() for _ in range(10)]
    db.session.add(
        CourseCompletion(user_id=staff[0].id, course_id=courses["employee"].id, method="online")
    )
    set_target_from_roster(falun)
    db.session.commit()
    before = reports.coverage_of(falun).coverage
    auth.login_as(create_user(role=Role.COORDINATOR))
    for person in staff[1:]:
        client.post(f"/municipalities/2080/people/{person.id}/active")
    db.session.expire_all()
    assert reports.coverage_of(falun).coverage <= before


def test_reach_page_totals_agree_with_the_dashboard(
    client, auth, courses, certified_agent, create_user, municipalities
):
    person = create_user()
    sessions = [create_session(certified_agent, details()) for _ in range(2)]
    for hours, training_session in zip((3, 1), sessions, strict=True):
        register(person, training_session)
        move(training_session, -timedelta(hours=hours))
        mark_attendance(certified_agent, training_session, {person.id: AttendanceStatus.ATTENDED})
    (dashboard,) = [
        a for a in reports.agents_of(municipalities["2080"]) if a.email == certified_agent.email
    ]
    auth.login_as(certified_agent)
    page = " ".join(client.get("/sessions/reach").get_data(as_text=True).split())
    assert dashboard.attendees == 1
    assert "Deltagare (olika personer)</dt><dd>1</dd>" in page


def test_marked_absent_at_the_only_follow_up_ends_certification(app, tmp_path, create_user):
    from app.courses.content import Quiz
    from app.courses.services import sync_courses
    from tests.support.quizzes import read_all_lessons, write_quiz_course

    sync_courses(write_quiz_course(tmp_path / "c", audience="agent", follow_up=True))
    course = db.session.scalar(db.select(Course).filter_by(slug="prov"))
    agent = create_user(role=Role.AGENT)
    read_all_lessons(agent, course)
    pass_end_user_quiz(agent, db.session.scalar(db.select(Quiz)))
    admin = create_user(role=Role.ADMIN)
    follow_up = create_session(admin, details())
    register(agent, follow_up)
    move(follow_up, -timedelta(minutes=10))
    mark_attendance(admin, follow_up, {agent.id: AttendanceStatus.ATTENDED})
    assert is_certified(agent)
    mark_attendance(admin, follow_up, {agent.id: AttendanceStatus.NO_SHOW})
    assert not is_certified(agent)
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=agent.id)) is None


def test_a_session_cannot_start_before_the_window_even_if_it_ends_inside(certified_agent):
    long_ago = details(start_in=-timedelta(days=25))
    long_ago.ends_at = datetime.now(UTC) - timedelta(days=1)
    with pytest.raises(TrainingError, match="14 dagarna"):
        create_session(certified_agent, long_ago)
    training_session = create_session(certified_agent, details())
    with pytest.raises(TrainingError, match="14 dagarna"):
        update_session(training_session, long_ago)


def test_marks_and_completions_are_one_transaction(quiz_course, certified_agent, create_user):
    from unittest import mock

    training_session = create_session(certified_agent, details())
    person = create_user()
    register(person, training_session)
    move(training_session, -timedelta(minutes=5))
    with (
        mock.patch("app.progress.subscribers.complete_via_attendance", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        mark_attendance(certified_agent, training_session, {person.id: AttendanceStatus.ATTENDED})
    db.session.expire_all()
    assert db.session.scalar(db.select(Attendance.status)) == AttendanceStatus.REGISTERED


def test_revoked_before_the_start_withdraws_early_check_ins(
    quiz_course, quiz, certified_agent, create_user, municipalities
):
    training_session = create_session(certified_agent, details())
    move(training_session, timedelta(minutes=20))  # check-in is open
    person = create_user()
    pass_end_user_quiz(person, quiz)
    check_in_with(person, training_session)
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=person.id))
    revoke(certified_agent, create_user)
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=person.id)) is None
    other = create_user(role=Role.AGENT)
    certify_agent(other)
    elsewhere = create_session(other, details())
    register(person, elsewhere)
    move(elsewhere, -timedelta(minutes=5))
    mark_attendance(other, elsewhere, {person.id: AttendanceStatus.ATTENDED})
    row = reports.coverage_of(municipalities["2080"])
    assert (row.staff_trained, row.trained_via_session) == (1, 1)


def test_the_roster_search_finds_swedish_names_whatever_the_case(certified_agent, create_user):
    from app.training.queries import roster_search

    create_user(name="Björn Ängström", email="bjorn.a@falun.se")
    training_session = create_session(certified_agent, details())
    for text in ("ängström", "ÄNGSTRÖM", "Björn", "bjorn.a"):
        assert [p.name for p in roster_search(training_session, text)] == ["Björn Ängström"], text


def test_messages_say_one_change_and_errors_are_alerts(client, auth, certified_agent, create_user):
    training_session, (person, _) = running_session(certified_agent, create_user)
    auth.login_as(certified_agent)
    response = client.post(
        f"/sessions/{training_session.id}/attendance",
        data={f"status-{person.id}": AttendanceStatus.ATTENDED},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Närvaron är sparad (1 ändring)." in html and 'role="status"' in html
    full = create_session(certified_agent, details(capacity=1))
    register(create_user(), full)
    refused = client.post(
        f"/sessions/{full.id}/participants", data={"user_id": str(create_user().id)},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert '<div class="flashes" role="alert">' in refused
    assert "Tillfället är fullt: ingen är tillagd." in refused
