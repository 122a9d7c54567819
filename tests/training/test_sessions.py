"""Sessions over HTTP: who may create, edit, register, add, mark and see; form errors."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from app.core.roles import Role
from app.extensions import db
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession
from app.training.services import create_session, register
from tests.support.pdf_tags import assert_accessible
from tests.support.training import details, move


def local(delta: timedelta) -> str:
    """A datetime-local form value in Swedish time."""
    from app.core.time import STOCKHOLM

    return (datetime.now(UTC) + delta).astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")


def form(**overrides) -> dict:
    data = {"title": "Resfria möten i vardagen", "starts_at": local(timedelta(days=3)),
            "ends_at": local(timedelta(days=3, hours=1, minutes=30)), "mode": "video",
            "place": "Videorummet, Stadshuset", "capacity": "12", "notes": "Ta med headset."}  # fmt: skip
    data.update(overrides)
    return data


def sessions() -> list[TrainingSession]:
    db.session.expire_all()
    return db.session.scalars(db.select(TrainingSession)).all()


@pytest.mark.parametrize(
    ("who", "status", "kind"),
    [("certified", 302, SessionKind.END_USER), ("uncertified", 302, None), (Role.EMPLOYEE, 403, None),
     (Role.COORDINATOR, 403, None), (Role.ADMIN, 302, SessionKind.AGENT_FOLLOW_UP)],
)  # fmt: skip
def test_who_may_create(client, auth, create_user, certified_agent, who, status, kind):
    user = {"certified": certified_agent, "uncertified": None}.get(who) or create_user(
        role=Role.AGENT if who == "uncertified" else who
    )
    auth.login_as(user)
    response = client.post("/sessions/new", data=form())
    assert response.status_code == status
    created = sessions()
    assert [s.kind for s in created] == ([kind] if kind else [])
    if kind == SessionKind.END_USER:
        (session,) = created
        assert session.agent_id == user.id and session.municipality_id == user.municipality_id
        assert session.capacity == 12 and len(session.check_in_code) == 6


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_at": local(-timedelta(days=20)), "ends_at": local(-timedelta(days=20) + timedelta(hours=1))}, "hölls under de senaste 14 dagarna"),
        ({"ends_at": local(timedelta(days=2))}, "Slutet måste vara efter starten."),
        ({"capacity": "0"}, "Ange ett antal från 1."),
        ({"title": ""}, "Skriv en rubrik."),
        ({"starts_at": "imorgon"}, "Ange när tillfället börjar"),
    ],
    ids=["before-the-window", "end-before-start", "zero-capacity", "no-title", "bad-date"],
)  # fmt: skip
def test_form_errors_re_render_and_write_nothing(client, auth, certified_agent, overrides, message):
    auth.login_as(certified_agent)
    response = client.post("/sessions/new", data=form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert sessions() == []


def test_capacity_cannot_go_below_registered(
    client, auth, certified_agent, end_user_session, create_user
):
    for _ in range(2):
        register(create_user(), end_user_session)
    auth.login_as(certified_agent)
    response = client.post(f"/sessions/{end_user_session.id}/edit", data=form(capacity="1"))
    assert response.status_code == 422
    assert "2 personer är redan anmälda" in response.get_data(as_text=True)
    assert sessions()[0].capacity == 3


def test_only_the_sessions_agent_or_an_admin_manages_it(
    client, auth, create_user, end_user_session
):
    other_agent = create_user(role=Role.AGENT)
    auth.login_as(other_agent)
    for url in (
        f"/sessions/{end_user_session.id}/edit",
        f"/sessions/{end_user_session.id}/attendance-sheet.pdf",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/sessions/{end_user_session.id}/cancel").status_code == 404
    assert sessions()[0].cancelled_at is None
    auth.logout()
    auth.login_as(create_user(role=Role.ADMIN))
    assert client.post(f"/sessions/{end_user_session.id}/cancel").status_code == 302
    assert sessions()[0].cancelled_at is not None


def test_other_municipality_neither_sees_nor_registers(client, auth, create_user, end_user_session):
    auth.login_as(create_user(municipality_code="2062"))
    assert client.get(f"/sessions/{end_user_session.id}").status_code == 404
    assert client.post(f"/sessions/{end_user_session.id}/register").status_code == 404
    assert "Resfria möten i vardagen" not in client.get("/sessions/").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 0


def test_upcoming_sessions_come_50_a_page_soonest_first(client, auth, create_user, certified_agent):
    for day in range(55):
        create_session(
            certified_agent, details(start_in=timedelta(days=2 + day), title=f"Dag {day:02}")
        )
    auth.login_as(create_user())
    first = client.get("/sessions/").get_data(as_text=True)
    assert first.count('class="card"') == 50 and "Dag 00" in first and "Dag 50" not in first
    link = re.search(r'<a href="([^"]+)">Nästa sida</a>', first)
    second = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert second.count('class="card"') == 5 and "Dag 50" in second and "Dag 54" in second
    assert "Första sidan" in second and "Nästa sida" not in second


def test_employee_registers_unregisters_and_gets_a_calendar_file(
    client, auth, create_user, end_user_session
):
    employee = create_user(name="Åsa Öberg")
    auth.login_as(employee)
    assert "Resfria möten i vardagen" in client.get("/sessions/").get_data(as_text=True)
    response = client.post(f"/sessions/{end_user_session.id}/register", follow_redirects=True)
    assert "Du är anmäld." in response.get_data(as_text=True)
    assert sessions()[0].registered_count == 1
    ics = client.get(f"/sessions/{end_user_session.id}.ics")
    assert ics.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(ics.data)
    (event,) = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert str(event["summary"]) == "Resfria möten i vardagen"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert str(start.tzinfo) == "Europe/Stockholm"
    assert start == end_user_session.starts_at.replace(microsecond=0)
    assert end == end_user_session.ends_at.replace(microsecond=0)
    assert any(
        c.name == "VTIMEZONE" and str(c["tzid"]) == "Europe/Stockholm" for c in calendar.walk()
    )
    client.post(f"/sessions/{end_user_session.id}/unregister")
    assert sessions()[0].registered_count == 0
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 0


def test_full_session_refuses_registration(client, auth, create_user, end_user_session):
    for _ in range(3):
        register(create_user(), end_user_session)
    auth.login_as(create_user())
    response = client.post(f"/sessions/{end_user_session.id}/register", follow_redirects=True)
    assert "Tillfället är fullt." in response.get_data(as_text=True)
    assert sessions()[0].registered_count == 3


def test_agent_adds_colleague_from_roster_but_not_from_elsewhere(
    client, auth, certified_agent, create_user, end_user_session
):
    colleague = create_user(name="Karin Lund", email="karin.lund@falun.se")
    stranger = create_user(name="Karin Mora", email="karin@mora.se", municipality_code="2062")
    auth.login_as(certified_agent)
    html = client.get(f"/sessions/{end_user_session.id}?q=karin").get_data(as_text=True)
    assert "Karin Lund" in html and "Karin Mora" not in html
    response = client.post(
        f"/sessions/{end_user_session.id}/participants", data={"user_id": stranger.id}
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "hittades inte" in page and "Karin Mora" not in page and "mora.se" not in page
    assert db.session.scalar(db.select(Attendance).filter_by(user_id=stranger.id)) is None
    client.post(f"/sessions/{end_user_session.id}/participants", data={"user_id": colleague.id})
    row = db.session.scalar(db.select(Attendance).filter_by(user_id=colleague.id))
    assert row.status == AttendanceStatus.REGISTERED and row.marked_by_id == certified_agent.id


def test_attendance_is_marked_after_the_start_with_who_and_when(
    client, auth, certified_agent, create_user, end_user_session
):
    people = [create_user(name=name) for name in ("Bo Ek", "Åsa Öberg")]
    for person in people:
        register(person, end_user_session)
    auth.login_as(certified_agent)
    response = client.post(
        f"/sessions/{end_user_session.id}/attendance", data={"action": "all"}, follow_redirects=True
    )
    assert "först när tillfället har börjat" in response.get_data(as_text=True)
    move(end_user_session, -timedelta(minutes=10))
    client.post(f"/sessions/{end_user_session.id}/attendance",
                data={f"status-{people[0].id}": "attended", f"status-{people[1].id}": "no_show"})  # fmt: skip
    db.session.expire_all()
    rows = {r.user_id: r for r in db.session.scalars(db.select(Attendance))}
    assert rows[people[0].id].status == "attended" and rows[people[1].id].status == "no_show"
    assert rows[people[0].id].marked_by_id == certified_agent.id and rows[people[0].id].marked_at
    client.post(f"/sessions/{end_user_session.id}/attendance", data={"action": "all"})
    db.session.expire_all()
    assert {r.status for r in db.session.scalars(db.select(Attendance))} == {"attended"}


def test_attendance_sheet_pdf(client, auth, certified_agent, create_user, end_user_session):
    for name in ("Örjan Ål", "Anna Berg", "Åsa Öberg-Nguyễn"):
        register(create_user(name=name), end_user_session)
    auth.login_as(certified_agent)
    response = client.get(f"/sessions/{end_user_session.id}/attendance-sheet.pdf")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "Närvarolista" in text or "NÄRVAROLISTA" in text
    assert text.index("Anna Berg") < text.index("Åsa Öberg-Nguyễn") < text.index("Örjan Ål"), (
        "Swedish A–Ö"
    )
    assert end_user_session.check_in_code in text and "Łukasz Ärlig" in text
    assert_accessible(response.data)


def test_reach_page_counts(client, auth, certified_agent, create_user, end_user_session):
    for _ in range(2):
        register(create_user(), end_user_session)
    auth.login_as(certified_agent)
    html = client.get("/sessions/reach").get_data(as_text=True)
    assert '<td class="num">2</td><td class="num">0</td><td class="num">0</td>' in html


def test_kit_is_for_certified_agents(client, auth, create_user, certified_agent):
    auth.login_as(create_user(role=Role.AGENT))
    assert client.get("/kit/").status_code == 403
    assert client.get("/kit/lektionsplan.pdf").status_code == 403
    auth.logout()
    auth.login_as(certified_agent)
    html = client.get("/kit/").get_data(as_text=True)
    for title in ("Lektionsplan", "Deltagarmaterial", "Inbjudan", "Vanliga frågor"):
        assert title in html
    for slug in ("lektionsplan", "deltagarmaterial", "inbjudan", "vanliga-fragor"):
        response = client.get(f"/kit/{slug}.pdf")
        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.data))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "Vi möts resfritt".upper() in text.upper() and "å" in text and "ö" in text
        assert reader.metadata.title
        assert_accessible(response.data)
    assert client.get("/kit/finns-inte.pdf").status_code == 404


def test_start_page_tells_a_certified_agent_to_plan_a_session(
    client, auth, certified_agent, create_user
):
    auth.login_as(certified_agent)
    html = client.get("/").get_data(as_text=True)
    assert "Du är certifierad mötesagent." in html and 'href="/sessions/new"' in html
    auth.logout()
    auth.login_as(create_user(role=Role.AGENT))
    assert 'href="/sessions/new"' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "message"),
    [("0001-01-01T00:30", "0001-01-01T01:30", "mellan år 2000 och 2100"),
     ("2030-03-31T02:30", "2030-03-31T03:15", "Den tiden finns inte")],
    ids=["year-one", "spring-forward-gap"],
)  # fmt: skip
def test_impossible_times_are_form_errors(
    client, auth, certified_agent, end_user_session, starts_at, ends_at, message
):
    auth.login_as(certified_agent)
    for url in ("/sessions/new", f"/sessions/{end_user_session.id}/edit"):
        response = client.post(url, data=form(starts_at=starts_at, ends_at=ends_at))
        assert response.status_code == 422 and message in response.get_data(as_text=True)
