"""Quick attendance: many colleagues in one action, a line-by-line report, the page stays in place,
sessions recorded afterwards from the form, and the meeting link."""

from datetime import UTC, datetime, timedelta

import pytest

from app.core.roles import Role
from app.core.time import STOCKHOLM
from app.extensions import db
from app.mail.models import OutboxMessage
from app.training.models import Attendance, AttendanceStatus, TrainingSession
from app.training.routes import web_link
from app.training.services import create_session, register
from tests.support.queries import QueryCounter
from tests.support.training import details, move


def add(client, training_session, follow=False, **data):
    """Post the bulk add (ticked `user_id`s and/or pasted `lines`)."""
    return client.post(
        f"/sessions/{training_session.id}/participants", data=data, follow_redirects=follow
    )


def rows(training_session) -> dict[int, Attendance]:
    db.session.expire_all()
    return {
        row.user_id: row
        for row in db.session.scalars(
            db.select(Attendance).filter_by(session_id=training_session.id)
        )
    }


def registered_count(training_session) -> int:
    db.session.expire_all()
    return db.session.get(TrainingSession, training_session.id).registered_count


def test_ticked_colleagues_are_registered_and_each_gets_the_confirmation(
    client, auth, certified_agent, create_user
):
    training_session = create_session(certified_agent, details(capacity=None))
    team = [create_user(name=f"Kollega {n}", email=f"kollega{n}@falun.se") for n in range(5)]
    auth.login_as(certified_agent)
    html = client.get(f"/sessions/{training_session.id}?q=kollega").get_data(as_text=True)
    for person in team:
        assert f'<label for="add-{person.id}">{person.name} ' in html and person.email in html
    assert "Lägg till markerade" in html
    response = add(client, training_session, user_id=[str(p.id) for p in team])
    assert response.status_code == 302 and response.location.endswith("#add-people")
    on_list = rows(training_session)
    assert set(on_list) == {p.id for p in team}
    assert {r.status for r in on_list.values()} == {AttendanceStatus.REGISTERED}
    assert {r.marked_by_id for r in on_list.values()} == {certified_agent.id}
    assert registered_count(training_session) == 5
    mails = db.session.scalars(db.select(OutboxMessage).filter_by(kind="registration")).all()
    assert sorted(m.recipient for m in mails) == sorted(p.email for p in team)
    assert all(m.attachments[0]["filename"].endswith(".ics") for m in mails)
    page = client.get(response.location).get_data(as_text=True)
    assert "5 kollegor är anmälda och får en bekräftelse med e-post." in page
    assert "Kollega 3: anmäld, får en bekräftelse med e-post" in page
    assert 'id="add-people" tabindex="-1"' in page, "the focus can land on the section"


def test_after_the_start_they_are_walk_ins_marked_attended(
    client, auth, certified_agent, create_user
):
    training_session = create_session(certified_agent, details(capacity=None))
    registered = create_user(name="Anmäld Före")
    register(registered, training_session)
    move(training_session, -timedelta(minutes=20))
    walk_ins = [create_user(name=f"Kom Ändå {n}") for n in range(3)]
    auth.login_as(certified_agent)
    ids = [p.id for p in [*walk_ins, registered]]
    page = add(client, training_session, follow=True, user_id=[str(i) for i in ids])
    html = page.get_data(as_text=True)
    on_list = rows(training_session)
    assert {on_list[i].status for i in ids} == {AttendanceStatus.ATTENDED}
    assert {on_list[i].marked_by_id for i in ids} == {certified_agent.id}
    assert registered_count(training_session) == 4, "only the walk-ins took new seats"
    assert "4 personer är markerade som närvarande." in html
    assert "Anmäld Före: fanns redan på listan, nu markerad som närvarande" in html
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0, "no confirmations"


def test_not_enough_seats_adds_nobody_and_says_how_many_are_left(
    client, auth, certified_agent, create_user
):
    training_session = create_session(certified_agent, details(capacity=3))
    register(create_user(), training_session)
    team = [create_user() for _ in range(3)]
    auth.login_as(certified_agent)
    html = add(client, training_session, follow=True, user_id=[str(p.id) for p in team]).get_data(
        as_text=True
    )
    assert "Bara 2 platser är lediga men du försökte lägga till 3: ingen är tillagd." in html
    assert '<div class="flashes" role="alert">' in html
    assert len(rows(training_session)) == 1 and registered_count(training_session) == 1
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
    add(client, training_session, user_id=[str(p.id) for p in team[:2]])
    assert len(rows(training_session)) == 3 and registered_count(training_session) == 3


def test_pasted_lines_get_a_report_line_by_line(client, auth, certified_agent, create_user):
    training_session = create_session(certified_agent, details(capacity=None))
    karin = create_user(name="Karin Lund", email="karin.lund@falun.se")
    bo = create_user(name="Bo Ek", email="bo.ek@falun.se")
    asa = create_user(name="Åsa Öberg", email="asa.oberg@falun.se")
    for _ in range(2):
        create_user(name="Anna Berg")
    already = create_user(name="Redan Anmäld", email="redan@falun.se")
    register(already, training_session)
    gone = create_user(name="Slutat Nyss", email="slutat@falun.se", active=False)
    create_user(name="Mora Person", email="hemlig@mora.se", municipality_code="2062")
    auth.login_as(certified_agent)
    pasted = "\n".join([
        "KARIN.LUND@FALUN.SE",  # an email, whatever the case
        "Bo Ek <bo.ek@falun.se>",  # as mail programs copy it
        "  åsa   öberg ",  # a whole name, case-folded
        "Anna Berg",  # two people: ambiguous
        "redan@falun.se",
        "slutat@falun.se",  # deactivated: not allowed
        "hemlig@mora.se",  # another municipality: not found, never revealed
        "Mora Person",
        "Ingen Alls",
        certified_agent.email,  # the trainer
        "",
    ])  # fmt: skip
    response = add(client, training_session, lines=pasted)
    assert response.location.endswith("#add-people")
    on_list = rows(training_session)
    assert set(on_list) == {karin.id, bo.id, asa.id, already.id}
    html = client.get(response.location).get_data(as_text=True)
    assert "3 kollegor är anmälda" in html and "1 fanns redan på listan." in html
    for name in ("Karin Lund", "Bo Ek", "Åsa Öberg"):
        assert f"{name}: anmäld, får en bekräftelse med e-post" in html
    assert "Redan Anmäld: fanns redan på listan" in html
    assert "6 rader gav ingen deltagare:" in html
    assert "”Anna Berg”: flera personer heter så: skriv e-postadressen i stället" in html
    assert "”slutat@falun.se”: kan inte läggas till" in html
    assert "”hemlig@mora.se”: hittades inte bland dem som kan delta" in html
    assert "”Mora Person”: hittades inte" in html and "”Ingen Alls”: hittades inte" in html
    assert f"”{certified_agent.email}”: kan inte läggas till" in html
    assert "Slutat Nyss" not in html and "2062" not in html
    textarea = html.split("<textarea")[1].split("</textarea>")[0]
    assert "Anna Berg" in textarea and "Ingen Alls" in textarea and "hemlig@mora.se" in textarea
    assert "karin.lund" not in textarea, "only the lines to correct stay in the box"
    assert gone.id not in on_list


def test_nothing_chosen_or_too_many_lines_is_an_error_in_the_section(
    client, auth, certified_agent, end_user_session
):
    auth.login_as(certified_agent)
    response = add(client, end_user_session)
    assert response.location.endswith("#add-people")
    html = client.get(response.location).get_data(as_text=True)
    assert "Markera eller klistra in minst en person." in html
    lines = "\n".join(f"person{n}@falun.se" for n in range(101))
    html = add(client, end_user_session, follow=True, lines=lines).get_data(as_text=True)
    assert "Klistra in högst 100 rader åt gången." in html
    assert rows(end_user_session) == {}


def test_another_agent_or_a_bad_id_adds_nobody(client, auth, create_user, end_user_session):
    colleague = create_user()
    auth.login_as(create_user(role=Role.AGENT))
    assert add(client, end_user_session, user_id=[str(colleague.id)]).status_code == 404
    auth.logout()
    auth.login_as(end_user_session.agent)
    response = add(client, end_user_session, user_id=["99999999999", "abc"])
    assert response.status_code == 302 and rows(end_user_session) == {}


@pytest.mark.parametrize("started", [False, True], ids=["registered", "walk-ins"])
def test_bulk_add_costs_the_same_for_2_and_10(client, auth, certified_agent, create_user, started):
    auth.login_as(certified_agent)
    counts = []
    for size in (2, 10):
        training_session = create_session(certified_agent, details(capacity=None))
        if started:
            move(training_session, -timedelta(minutes=10))
        people = [create_user() for _ in range(size)]
        ticked = [str(p.id) for p in people[: size // 2]]
        lines = "\n".join(p.email for p in people[size // 2 :])
        with QueryCounter(db.engine) as counter:
            response = add(client, training_session, user_id=ticked, lines=lines)
        assert response.status_code == 302
        assert len(rows(training_session)) == size
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_every_action_returns_to_its_section(client, auth, certified_agent, create_user):
    training_session = create_session(certified_agent, details(capacity=None))
    person = create_user()
    register(person, training_session)
    auth.login_as(certified_agent)
    response = client.post(f"/sessions/{training_session.id}/attendance", data={"action": "all"})
    assert response.location.endswith("#attendance")
    html = client.get(response.location).get_data(as_text=True)
    section = html.split('id="attendance"')[1].split("</section>")[0]
    assert "först när tillfället har börjat" in section and 'role="alert"' in section
    move(training_session, -timedelta(minutes=10))
    response = client.post(f"/sessions/{training_session.id}/attendance", data={"action": "all"})
    section = client.get(response.location).get_data(as_text=True).split('id="attendance"')[1]
    assert "Närvaron är sparad (1 ändring)." in section.split("</section>")[0]
    search = client.get(f"/sessions/{training_session.id}?q=test").get_data(as_text=True)
    assert f'action="/sessions/{training_session.id}#add-people"' in search


def local(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    "start_in", [timedelta(hours=-2), timedelta(days=-13, hours=-23)], ids=["today", "13-days"]
)
def test_a_session_held_earlier_is_recorded_from_the_form(client, auth, certified_agent, start_in):
    auth.login_as(certified_agent)
    page = client.get("/sessions/new").get_data(as_text=True)
    assert "under de senaste 14 dagarna (tidigast" in page
    start = datetime.now(UTC) + start_in
    response = client.post("/sessions/new", data={
        "title": "APT-mötet", "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=1)), "mode": "on_site",
        "place": "Konferensrummet", "capacity": ""})  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    (training_session,) = db.session.scalars(db.select(TrainingSession)).all()
    assert training_session.recorded_after_the_fact
    html = client.get(response.location).get_data(as_text=True)
    assert "registrerat i efterhand" in html and "Lägg till deltagare" in html


@pytest.mark.parametrize(
    ("place", "link"),
    [("https://meet.falun.se/j/123?pwd=a&b=c", "https://meet.falun.se/j/123?pwd=a&b=c"),
     ("HTTP://Möte.falun.se/rum", "HTTP://Möte.falun.se/rum"),
     ("javascript:alert(1)", None), ("JavaScript://%0aalert(1)", None),
     ("data:text/html,<b>x</b>", None), ("https://", None), ("Stadshuset, rum 3", None),
     ("Teams: https://teams.example/x", None), ("//evil.example/x", None)],
)  # fmt: skip
def test_web_link_is_only_http_or_https(place, link):
    assert web_link(place) == link


def test_the_meeting_link_is_a_link_and_anything_else_is_text(
    client, auth, certified_agent, create_user
):
    linked = create_session(certified_agent, details(place="https://meet.falun.se/j/1?a=1&b=2"))
    unsafe = create_session(certified_agent, details(place="javascript:alert('x')"))
    auth.login_as(create_user())
    html = client.get(f"/sessions/{linked.id}").get_data(as_text=True)
    assert '<a class="place-link" href="https://meet.falun.se/j/1?a=1&amp;b=2">' in html
    html = client.get(f"/sessions/{unsafe.id}").get_data(as_text=True)
    assert "javascript:alert" in html and 'href="javascript' not in html
    assert "place-link" not in html
