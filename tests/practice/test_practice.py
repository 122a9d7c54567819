"""Practice tasks: the page, the ticks and notes, progress and completion, and the follow-up
trainer's confirmation that certification waits for."""

import re
from datetime import timedelta

from app.certificates.models import Certificate
from app.core.roles import Role
from app.courses.content import PracticeTask
from app.courses.models import Audience, CourseCompletion, ModuleCompletion
from app.courses.services import sync_courses
from app.extensions import db
from app.municipalities.services import save_facts
from app.practice.models import PracticeCheck, PracticeConfirmation
from app.progress.guidance import StepKind, next_step, work_overview
from app.training.models import AttendanceStatus
from app.training.services import mark_attendance, register
from tests.support.courses import PRACTICE_YML, write_course
from tests.support.progress import attempt, course_of, finish_parts, follow_up, read
from tests.support.training import move


def tasks_of(course_slug: str) -> list[PracticeTask]:
    from app.courses.content import Practice
    from app.courses.models import Course, Module

    return db.session.scalars(
        db.select(PracticeTask).join(Practice).join(Module).join(Course)
        .where(Course.slug == course_slug, PracticeTask.retired_at.is_(None))
        .order_by(PracticeTask.position)
    ).all()  # fmt: skip


def test_the_sync_writes_practice_and_retires_a_removed_task(app, tmp_path):
    root = write_course(tmp_path, {"prov/1-grund/practice.yml": PRACTICE_YML})
    sync_courses(root)
    assert [t.key for t in tasks_of("prov")] == ["ring-videorum", "tre-orter"]
    write_course(tmp_path, {"prov/1-grund/practice.yml": PRACTICE_YML.split("  - {id: tre")[0]})
    report = sync_courses(root)
    assert report.retired == 1 and [t.key for t in tasks_of("prov")] == ["ring-videorum"]


def test_the_end_user_course_completes_online_only_with_the_practice(
    client, auth, create_user, synced_courses
):
    user = create_user()
    course = course_of(Audience.EMPLOYEE)
    read(user, course)
    attempt(user, course, 1)
    assert db.session.scalar(db.select(ModuleCompletion).filter_by(user_id=user.id)) is None
    step = next_step(user)
    assert step.kind == StepKind.PRACTISE and step.count == len(tasks_of("end-user"))
    auth.login_as(user)
    url = "/courses/end-user/grunder/practice"
    page = client.get(url).get_data(as_text=True)
    for task in tasks_of("end-user"):
        assert task.text in page
    assert "Gör övningarna" in client.get("/").get_data(as_text=True)
    ticked = {f"done-{task.id}": "1" for task in tasks_of("end-user")}
    # ticked without a line on how it went: nothing is saved, the page says what to fix
    response = client.post(url, data=ticked)
    assert response.status_code == 422
    assert "Skriv en rad om hur det gick." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PracticeCheck.id))) == 0
    notes = {f"note-{task.id}": "Det gick bra med headset." for task in tasks_of("end-user")}
    response = client.post(url, data={**ticked, **notes})
    assert response.status_code == 302
    completion = db.session.scalar(db.select(CourseCompletion).filter_by(user_id=user.id))
    assert completion is not None and completion.method == "online"
    assert next_step(user).kind == StepKind.COMPLETED
    assert "Det gick bra med headset." in client.get(url).get_data(as_text=True)


def test_unticking_keeps_the_other_notes_and_a_stale_form_is_refused(
    app, client, auth, create_user, synced_courses
):
    user = create_user()
    auth.login_as(user)
    first, second, *_ = tasks_of("end-user")
    url = "/courses/end-user/grunder/practice"
    client.post(url, data={f"done-{first.id}": "1", f"note-{first.id}": "Ok",
                           f"done-{second.id}": "1", f"note-{second.id}": "Bra"})  # fmt: skip
    client.post(url, data={f"done-{first.id}": "1", f"note-{first.id}": "Ok nu"})
    checks = db.session.scalars(db.select(PracticeCheck).filter_by(user_id=user.id)).all()
    assert [(c.task_id, c.note) for c in checks] == [(first.id, "Ok nu")]
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(url, data={f"done-{second.id}": "1", f"note-{second.id}": "x"})
    assert response.status_code == 400
    assert len(db.session.scalars(db.select(PracticeCheck).filter_by(user_id=user.id)).all()) == 1


def test_a_course_for_another_role_has_no_practice_page(client, auth, create_user, synced_courses):
    auth.login_as(create_user())
    assert client.get("/courses/agent/skills/practice").status_code == 404
    assert client.get("/courses/end-user/saknas/practice").status_code == 404


def test_certification_waits_for_the_trainers_confirmation(
    client, auth, create_user, synced_courses
):
    agent, other = create_user(role=Role.AGENT), create_user(role=Role.AGENT)
    absent = create_user(role=Role.AGENT)
    for person in (agent, other, absent):
        finish_parts(person)
    admin = create_user(role=Role.ADMIN)
    meeting = follow_up(create_user)
    for person in (agent, other, absent):
        register(person, meeting)
    move(meeting, -timedelta(hours=1))
    mark_attendance(admin, meeting, {agent.id: AttendanceStatus.ATTENDED,
                                     other.id: AttendanceStatus.ATTENDED,
                                     absent.id: AttendanceStatus.NO_SHOW})  # fmt: skip
    assert db.session.scalar(db.select(Certificate)) is None, "attended is not yet enough"
    assert next_step(agent).kind == StepKind.PRACTICE_UNCONFIRMED
    waiting = work_overview(admin).step
    assert (waiting.kind, waiting.count, waiting.training_session.id) == (
        StepKind.CONFIRM_PRACTICE, 2, meeting.id)  # fmt: skip
    # the agent may not confirm their own practice
    auth.login_as(agent)
    assert (
        client.post(f"/sessions/{meeting.id}/practice", data={"action": "all"}).status_code == 404
    )
    auth.logout()
    auth.login_as(admin)
    page = client.get(f"/sessions/{meeting.id}").get_data(as_text=True)
    section = page.split('id="practice"')[1].split("</section>")[0]
    assert "Bekräfta för alla närvarande" in section and absent.name not in section
    assert "Gick bra." in section, "the trainer reads how each task went"
    response = client.post(f"/sessions/{meeting.id}/practice", data={f"confirm-{agent.id}": "1"})
    assert response.status_code == 302
    holders = set(db.session.scalars(db.select(Certificate.user_id)))
    assert holders == {agent.id}
    client.post(f"/sessions/{meeting.id}/practice", data={"action": "all"})
    holders = set(db.session.scalars(db.select(Certificate.user_id)))
    assert holders == {agent.id, other.id}, "all present, not the one who stayed away"
    assert next_step(agent).kind == StepKind.PLAN_SESSION
    assert work_overview(admin).step.kind != StepKind.CONFIRM_PRACTICE
    confirmations = db.session.scalars(db.select(PracticeConfirmation)).all()
    assert {c.user_id for c in confirmations} == {agent.id, other.id}
    assert all(c.confirmed_by_id == admin.id and c.session_id == meeting.id for c in confirmations)
    response = client.get("/api/v1/xapi/statements")
    assert response.status_code == 200, response.json
    statements = response.json["statements"]
    practice = [s for s in statements if s["object"]["id"].endswith("/practice")]
    assert {s["actor"]["mbox"] for s in practice} == {
        f"mailto:{agent.email}",
        f"mailto:{other.email}",
    }
    assert all(s["context"]["instructor"]["mbox"] == f"mailto:{admin.email}" for s in practice)


def test_confirming_nobody_says_what_to_do(client, auth, create_user, synced_courses):
    agent = create_user(role=Role.AGENT)
    finish_parts(agent)
    admin = create_user(role=Role.ADMIN)
    meeting = follow_up(create_user)
    register(agent, meeting)
    move(meeting, -timedelta(hours=1))
    mark_attendance(admin, meeting, {agent.id: AttendanceStatus.ATTENDED})
    auth.login_as(admin)
    response = client.post(f"/sessions/{meeting.id}/practice", data={}, follow_redirects=True)
    assert "Markera vems övningar du bekräftar." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(PracticeConfirmation)) is None


def test_the_practice_help_shows_the_municipalitys_own_facts(
    client, auth, create_user, synced_courses
):
    user = create_user(role=Role.AGENT)
    save_facts(
        user.municipality,
        {"boka-videorum": "I Outlook <b>Rum</b>"},
        create_user(role=Role.COORDINATOR),
    )
    auth.login_as(user)
    page = client.get("/courses/agent/skills/practice").get_data(as_text=True)
    assert "{{" not in page
    assert "I Outlook &lt;b&gt;Rum&lt;/b&gt;" in page
    assert re.search(r"Din kommun har inte fyllt i den här uppgiften ännu", page)
