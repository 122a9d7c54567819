"""Catalogue, course and lesson pages: what each role sees, progress, and a fixed query count."""

import pytest
from sqlalchemy import event

from app.core.roles import Role
from app.courses.models import Lesson, LessonView
from app.courses.services import sync_courses
from app.extensions import db
from tests.support.courses import write_course
from tests.support.queries import QueryCounter

AGENT_TITLE = "Mötesagentutbildning"
END_USER_TITLE = "Slutanvändarutbildning"


@pytest.mark.parametrize(
    ("role", "sees_agent_course"),
    [(Role.EMPLOYEE, False), (Role.AGENT, True), (Role.COORDINATOR, False), (Role.ADMIN, True)],
)
def test_catalogue_is_filtered_by_audience(
    client, auth, create_user, synced_courses, role, sees_agent_course
):
    auth.login_as(create_user(role=role))
    html = client.get("/courses/").get_data(as_text=True)
    assert END_USER_TITLE in html
    assert (AGENT_TITLE in html) is sees_agent_course


def test_course_page_lists_modules_and_lessons(client, auth, create_user, synced_courses):
    auth.login_as(create_user(role=Role.AGENT))
    html = client.get("/courses/agent").get_data(as_text=True)
    assert "Del 1: Färdigheter" in html and "Del 2: Projektet och infrastrukturen" in html
    assert 'href="/courses/agent/skills/videorummet"' in html
    assert "Börja med: Videorummet" in html
    assert "uppföljningsmöte" in html


def test_opening_a_lesson_records_the_view_and_shows_prev_next(
    client, auth, create_user, synced_courses
):
    user = create_user(role=Role.AGENT)
    auth.login_as(user)
    response = client.get("/courses/agent/skills/jabber-och-datorn")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'rel="prev" href="/courses/agent/skills/videorummet"' in html
    assert 'rel="next" href="/courses/agent/skills/webbmoten"' in html
    assert "Lektion 2 av 10" in html
    views = db.session.scalars(db.select(LessonView).filter_by(user_id=user.id)).all()
    assert len(views) == 1
    client.get("/courses/agent/skills/jabber-och-datorn")
    assert db.session.scalar(db.select(db.func.count(LessonView.id))) == 1, "one row per lesson"
    course = client.get("/courses/agent").get_data(as_text=True)
    assert "Du har läst 1 av 10 lektioner och klarat 0 av 2 kunskapstest." in course
    assert "Fortsätt där du slutade: Videorummet" in course


def test_last_lesson_of_a_course_leads_to_its_last_quiz(client, auth, create_user, synced_courses):
    auth.login_as(create_user(role=Role.AGENT))
    html = client.get("/courses/agent/project/utbildning-pa-hemmaplan").get_data(as_text=True)
    assert 'rel="next" href="/courses/agent/project/quiz"' in html


def test_a_parts_last_lesson_leads_to_its_quiz_before_the_next_part(
    client, auth, create_user, synced_courses
):
    auth.login_as(create_user(role=Role.AGENT))
    html = client.get("/courses/agent/skills/nar-det-kranglar").get_data(as_text=True)
    assert 'rel="next" href="/courses/agent/skills/quiz"' in html
    assert "/courses/agent/project/vi-mots-resfritt" not in html


def test_a_part_without_a_quiz_runs_on_and_the_course_ends_back_at_its_page(
    client, auth, app, tmp_path, create_user
):
    from app.courses.services import sync_courses
    from tests.support.quizzes import write_quiz_course

    root = write_quiz_course(tmp_path / "c")
    (root / "prov/1-grund/quiz.yml").unlink()
    sync_courses(root)
    auth.login_as(create_user())
    html = client.get("/courses/prov/grund/andra").get_data(as_text=True)
    assert 'rel="next"' not in html and "Tillbaka till kursen" in html


@pytest.mark.parametrize(
    "url",
    [
        "/courses/finns-inte",
        "/courses/agent/skills/finns-inte",
        "/courses/agent/project/videorummet",
    ],
)
def test_unknown_course_or_lesson_is_404(client, auth, create_user, synced_courses, url):
    auth.login_as(create_user(role=Role.AGENT))
    assert client.get(url).status_code == 404


def test_retired_lesson_is_gone_from_pages(client, auth, create_user, tmp_path):
    root = write_course(tmp_path, {})
    sync_courses(root)
    auth.login_as(create_user(role=Role.EMPLOYEE))
    assert client.get("/courses/prov/grund/andra").status_code == 200
    write_course(tmp_path, {
        "prov/1-grund/module.yml": "title: Grunderna\nlessons: [01-forsta.md]\n",
        "prov/1-grund/01-forsta.md": "---\ntitle: Första\n---\nText.\n",
    })  # fmt: skip
    sync_courses(root)
    assert client.get("/courses/prov/grund/andra").status_code == 404
    assert "Andra lektionen" not in client.get("/courses/prov").get_data(as_text=True)


def test_start_page_says_what_to_do_next(client, auth, create_user, synced_courses):
    auth.login_as(create_user(role=Role.EMPLOYEE))
    html = client.get("/").get_data(as_text=True)
    assert "Ditt nästa steg" in html
    assert 'href="/courses/end-user/grunder/varfor-resfritt"' in html
    assert END_USER_TITLE in html and AGENT_TITLE not in html


def test_start_page_for_coordinator_links_to_own_municipality(client, auth, create_user):
    auth.login_as(create_user(role=Role.COORDINATOR, municipality_code="2062"))
    html = client.get("/").get_data(as_text=True)
    assert 'href="/municipalities/2062"' in html


def test_pages_run_a_fixed_number_of_queries(client, auth, create_user, synced_courses):
    user = create_user(role=Role.AGENT)
    auth.login_as(user)
    urls = ["/", "/courses/", "/courses/agent", "/courses/agent/skills/videorummet"]

    def counts():
        result = []
        for url in urls:
            with QueryCounter(db.engine) as counter:
                assert client.get(url).status_code == 200
            result.append(counter.count)
        return result

    counts()  # the first visit of a lesson inserts its view; measure from the second
    small = counts()
    # Much more data in the same state (part 1 still being read): part 2's lessons viewed but
    # its last, and many more people who have read everything.
    lessons = db.session.scalars(db.select(Lesson).order_by(Lesson.id)).all()
    db.session.add_all(
        LessonView(user_id=user.id, lesson_id=lesson.id)
        for lesson in lessons[:-1]
        if lesson.module_id == lessons[-1].module_id
    )
    for _ in range(20):
        other = create_user(role=Role.AGENT)
        db.session.add_all(LessonView(user_id=other.id, lesson_id=lesson.id) for lesson in lessons)
    db.session.commit()
    assert counts() == small
    assert max(small) <= 12  # the start page counts practice ticks; a lesson reads the facts


def test_course_images_are_served_to_those_who_may_take_the_course(
    client, auth, create_user, app, tmp_path
):
    root = write_course(tmp_path, {
        "prov/1-grund/02-andra.md": "# Andra\n\n![Flödet i ett samtal](flode.svg)\n",
        "prov/1-grund/flode.svg": '<svg xmlns="http://www.w3.org/2000/svg"><title>Flöde</title></svg>',
    })  # fmt: skip
    sync_courses(root)
    app.config["COURSES_DIR"] = str(root)
    assert client.get("/courses/prov/files/1-grund/flode.svg").status_code == 302  # log in first
    auth.login_as(create_user(role=Role.EMPLOYEE))
    response = client.get("/courses/prov/files/1-grund/flode.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    response.close()
    for missing in ("1-grund/02-andra.md", "1-grund/../../etc/passwd", "1-grund/saknas.svg"):
        assert client.get(f"/courses/prov/files/{missing}").status_code == 404


def test_reading_a_lesson_again_writes_nothing(client, auth, create_user, synced_courses):

    auth.login_as(create_user(role=Role.AGENT))
    url = "/courses/agent/skills/videorummet"
    assert client.get(url).status_code == 200
    assert db.session.scalar(db.select(db.func.count(LessonView.id))) == 1
    writes = []

    def remember(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert writes == []
