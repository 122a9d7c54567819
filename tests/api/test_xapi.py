"""xAPI statements: the four verbs, stable ids, the agent as instructor, scoping and paging."""

from datetime import timedelta

from app.api import xapi
from app.core.roles import Role
from app.courses.content import Quiz
from app.courses.services import sync_courses
from app.extensions import db
from app.training.models import AttendanceStatus
from app.training.services import create_session, mark_attendance, register
from tests.support.quizzes import pass_quiz, write_quiz_course
from tests.support.training import details, move


def test_statements_for_a_cascade(client, auth, create_user, certified_agent, app, tmp_path):
    sync_courses(write_quiz_course(tmp_path / "c"))
    quiz = db.session.scalar(db.select(Quiz))
    employee = create_user(name="Åsa Öberg", email="asa@falun.se")
    session = create_session(certified_agent, details())
    register(employee, session)
    move(session, -timedelta(minutes=20))
    mark_attendance(certified_agent, session, {employee.id: AttendanceStatus.ATTENDED})
    pass_quiz(create_user(email="annan@falun.se"), quiz, right=False)
    pass_quiz(employee, quiz)
    pass_quiz(create_user(email="mora@mora.se", municipality_code="2062"), quiz)

    auth.login_as(create_user(role=Role.COORDINATOR))
    response = client.get("/api/v1/xapi/statements")
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    body = response.get_json()
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in body["statements"])
    # the agent's own certification, and the employee's course completed via the session
    assert verbs == ["attended", "completed", "completed", "failed", "passed"], "none of Mora's"
    by_verb = {s["verb"]["id"].rsplit("/", 1)[1]: s for s in body["statements"]}
    attended = by_verb["attended"]
    assert attended["actor"]["mbox"] == "mailto:asa@falun.se"
    assert attended["context"]["instructor"]["name"] == "Łukasz Ärlig"
    assert attended["object"]["id"].endswith(f"/sessions/{session.id}")
    passed = by_verb["passed"]
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 1.0
    assert passed["object"]["id"].endswith("/courses/prov/grund/quiz")
    completed = [s for s in body["statements"] if s["verb"]["id"].endswith("completed")]
    assert {s["actor"]["mbox"] for s in completed} == {
        "mailto:asa@falun.se",
        "mailto:lukasz@falun.se",
    }
    assert completed[0]["object"]["definition"]["type"].endswith("/activities/course")
    again = client.get("/api/v1/xapi/statements").get_json()
    assert [s["id"] for s in again["statements"]] == [s["id"] for s in body["statements"]], (
        "stable ids"
    )
    assert body["more"] == ""
    later = client.get(
        "/api/v1/xapi/statements", query_string={"since": body["statements"][-1]["timestamp"]}
    )
    assert later.get_json()["statements"] == []
    assert client.get("/api/v1/xapi/statements?since=igår").status_code == 422


def test_paging(monkeypatch, client, auth, create_user, app, tmp_path):
    monkeypatch.setattr(xapi, "PAGE_SIZE", 2)
    sync_courses(write_quiz_course(tmp_path / "c", max_attempts=10))
    quiz = db.session.scalar(db.select(Quiz))
    learner = create_user()
    for _ in range(5):
        pass_quiz(learner, quiz, right=False)
    auth.login_as(create_user(role=Role.ADMIN))
    first = client.get("/api/v1/xapi/statements").get_json()
    assert (
        len(first["statements"]) == 2
        and "after_time=" in first["more"]
        and "page" not in first["more"]
    )
    ids = [s["id"] for s in first["statements"]]
    page = first
    while page["more"]:
        page = client.get(page["more"]).get_json()
        ids += [s["id"] for s in page["statements"]]
    assert len(ids) == len(set(ids)) == 5


def test_a_cursor_page_reads_only_its_own_rows_and_counted_pages_still_work(
    monkeypatch, client, auth, create_user, app, tmp_path
):
    monkeypatch.setattr(xapi, "PAGE_SIZE", 3)
    sync_courses(write_quiz_course(tmp_path / "c", max_attempts=20))
    quiz = db.session.scalar(db.select(Quiz))
    for _ in range(4):
        learner = create_user()
        for _ in range(3):
            pass_quiz(learner, quiz, right=False)  # 12 attempts, several at the same second
    auth.login_as(create_user(role=Role.ADMIN))
    ids, url = [], "/api/v1/xapi/statements"
    while url:
        page = client.get(url).get_json()
        ids += [s["id"] for s in page["statements"]]
        url = page["more"]
    assert len(ids) == len(set(ids)) == 12
    counted = []
    for number in range(4):
        counted += [
            s["id"] for s in client.get(f"/api/v1/xapi/statements?page={number}").json["statements"]
        ]
    assert counted == ids, "the same order by cursor and by page number"
    assert client.get("/api/v1/xapi/statements?after_time=igår").status_code == 422
    assert (
        client.get(
            "/api/v1/xapi/statements?after_time=2026-01-01T00:00:00Z&after_kind=quiz"
        ).status_code
        == 422
    )
