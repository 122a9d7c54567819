"""People pages: who may do what, Swedish-aware search, filters by the coverage rule, pages of
50 at a fixed query count, creating and editing people, activation links and moving people."""

import io
import re

import pytest
from pypdf import PdfReader

from app.auth.models import User
from app.certificates.models import Certificate
from app.core import keyset
from app.core.roles import Role
from app.courses.models import CourseCompletion
from app.extensions import db
from app.mail.models import OutboxMessage
from app.progress.queries import is_certified
from app.reports import queries as reports
from tests.support.courses import complete
from tests.support.queries import QueryCounter
from tests.support.training import certify_agent


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def outbox_to(email: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutboxMessage).filter_by(recipient=email)))


@pytest.fixture
def newcomer(create_user):
    """An employee of Falun who has not chosen a password yet."""
    person = create_user(email="ny.person@falun.se", name="Ny Person")
    person.password_hash = None
    db.session.commit()
    return person


# --- who may do what ------------------------------------------------------------------------

VIEWERS = {
    "anonymous": None,
    "employee": (Role.EMPLOYEE, "2080"),
    "agent": (Role.AGENT, "2080"),
    "coordinator": (Role.COORDINATOR, "2080"),
    "other coordinator": (Role.COORDINATOR, "2062"),
    "admin": (Role.ADMIN, None),
}
OK = {"anonymous": 302, "employee": 403, "agent": 403, "other coordinator": 404}


def expect(coordinator, admin, **exceptions):
    return {**OK, "coordinator": coordinator, "admin": admin, **exceptions}


ACTIONS = {
    "list": ("get", "/municipalities/2080", None, expect(200, 200)),
    "create form": ("get", "/municipalities/2080/people/new", None, expect(200, 200)),
    "create": ("post", "/municipalities/2080/people/new",
               {"name": "Ny Kollega", "email": "ny.kollega@falun.se", "role": "employee",
                "municipality": "2080"}, expect(302, 302)),
    "edit form": ("get", "/municipalities/people/{id}", None, expect(200, 200)),
    "edit": ("post", "/municipalities/people/{id}", {"name": "Nytt Namn", "role": "agent"},
             expect(302, 302)),
    "deactivate": ("post", "/municipalities/2080/people/{id}/active", {}, expect(302, 302)),
    "send activation": ("post", "/municipalities/people/{id}/activation", {}, expect(302, 302)),
    "slip": ("get", "/municipalities/people/{id}/activation.pdf", None, expect(200, 200)),
    "move": ("post", "/municipalities/people/{id}/move", {"municipality": "2062"},
             expect(403, 302, **{"other coordinator": 403})),
}  # fmt: skip


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(client, auth, create_user, newcomer, viewer, action):
    method, url, data, expected = ACTIONS[action]
    if VIEWERS[viewer]:
        role, code = VIEWERS[viewer]
        auth.login_as(create_user(role=role, municipality_code=code))
    before = (newcomer.name, newcomer.role, newcomer.active, newcomer.municipality_id)
    response = getattr(client, method)(url.format(id=newcomer.id), data=data)
    assert response.status_code == expected[viewer], response.get_data(as_text=True)[:500]
    after = fresh(newcomer)
    changed = (after.name, after.role, after.active, after.municipality_id) != before
    created = db.session.scalar(db.select(User).filter_by(email="ny.kollega@falun.se"))
    sent = outbox_to(newcomer.email)
    if expected[viewer] >= 400 or expected[viewer] == 302 and viewer == "anonymous":
        assert not changed and created is None and not sent, "a refused request changes nothing"
    elif action in ("edit", "deactivate", "move"):
        assert changed
    elif action == "create":
        assert created is not None and created.municipality.code == "2080"
    elif action == "send activation":
        assert len(sent) == 1


def test_another_municipalitys_person_is_404_for_a_coordinator(client, auth, create_user):
    stranger = create_user(municipality_code="2062", name="Mora Person")
    auth.login_as(create_user(role=Role.COORDINATOR))
    for url in (f"/municipalities/people/{stranger.id}",
                f"/municipalities/people/{stranger.id}/activation.pdf"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404 and "Mora Person" not in response.get_data(as_text=True)
    assert (
        client.post(f"/municipalities/people/{stranger.id}", data={"name": "X"}).status_code == 404
    )
    assert client.get("/municipalities/people/999999").status_code == 404
    assert fresh(stranger).name == "Mora Person"


def test_a_coordinator_gives_only_employee_and_agent(client, auth, create_user):
    person = create_user(name="Anna Berg")
    colleague = create_user(role=Role.COORDINATOR, name="Annan Koordinator")
    auth.login_as(create_user(role=Role.COORDINATOR))
    form = client.get(f"/municipalities/people/{person.id}").get_data(as_text=True)
    assert 'value="agent"' in form and 'value="coordinator"' not in form
    assert 'value="admin"' not in form
    url = f"/municipalities/people/{person.id}"
    assert client.post(url, data={"name": "Anna Berg", "role": "agent"}).status_code == 302
    assert fresh(person).role == Role.AGENT
    assert client.post(url, data={"name": "Anna Berg", "role": "employee"}).status_code == 302
    assert fresh(person).role == Role.EMPLOYEE
    for role in (Role.COORDINATOR, Role.ADMIN):
        response = client.post(url, data={"name": "Anna Berg", "role": role})
        assert response.status_code == 422 and "error-summary" in response.get_data(as_text=True)
        assert fresh(person).role == Role.EMPLOYEE
        response = client.post("/municipalities/2080/people/new",
                               data={"name": "Chef", "email": f"{role}@falun.se", "role": role})  # fmt: skip
        assert response.status_code == 422
        assert db.session.scalar(db.select(User).filter_by(email=f"{role}@falun.se")) is None
    # another coordinator is visible in the list but not theirs to manage
    assert client.get(f"/municipalities/people/{colleague.id}").status_code == 403
    assert client.post(f"/municipalities/people/{colleague.id}",
                       data={"name": "X", "role": "employee"}).status_code == 403  # fmt: skip
    assert client.post(f"/municipalities/2080/people/{colleague.id}/active").status_code == 403
    assert fresh(colleague).active and fresh(colleague).role == Role.COORDINATOR
    html = client.get("/municipalities/2080").get_data(as_text=True)
    assert "Annan Koordinator" in html
    assert f'href="/municipalities/people/{colleague.id}"' not in html
    assert f'href="/municipalities/people/{person.id}"' in html


def test_an_admin_gives_any_role(client, auth, create_user):
    person = create_user(name="Blir Koordinator")
    auth.login_as(create_user(role=Role.ADMIN))
    url = f"/municipalities/people/{person.id}"
    assert (
        client.post(url, data={"name": "Blir Koordinator", "role": "coordinator"}).status_code
        == 302
    )
    assert fresh(person).role == Role.COORDINATOR
    response = client.post("/municipalities/2080/people/new", data={
        "name": "Ny Koordinator", "email": "koord@mora.se", "role": "coordinator",
        "municipality": "2062", "unit": "Kommunledning"})  # fmt: skip
    assert response.status_code == 302
    created = db.session.scalar(db.select(User).filter_by(email="koord@mora.se"))
    assert created.municipality.code == "2062" and created.unit == "Kommunledning"
    response = client.post("/municipalities/2080/people/new", data={
        "name": "Ny Handläggare", "email": "po@region.se", "role": "admin", "municipality": "2080"})  # fmt: skip
    assert response.status_code == 302
    admin = db.session.scalar(db.select(User).filter_by(email="po@region.se"))
    assert admin.role == Role.ADMIN and admin.municipality is None, "an admin has no municipality"
    assert client.get(response.location).status_code == 200


# --- create -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [({"name": "Ny", "email": "inte-en-adress"}, "Skriv en e-postadress"),
     ({"name": "Ny", "email": "Upptagen@Annan.se"}, "Det finns redan ett konto"),
     ({"name": "   ", "email": "ny@falun.se"}, "Skriv personens namn"),
     ({"name": "Ny", "email": ""}, "Skriv personens e-postadress")],
)  # fmt: skip
def test_create_re_renders_with_field_errors(client, auth, create_user, data, message):
    create_user(email="upptagen@annan.se", municipality_code="2062")
    auth.login_as(create_user(role=Role.COORDINATOR))
    count = db.session.scalar(db.select(db.func.count(User.id)))
    response = client.post("/municipalities/2080/people/new", data={"role": "employee", **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and "error-summary" in html
    assert 'aria-invalid="true"' in html
    assert db.session.scalar(db.select(db.func.count(User.id))) == count
    assert "2062" not in html and "Mora" not in html, "nothing about the other municipality"


def test_create_then_send_or_print_the_activation_link(client, auth, create_user):
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = client.post("/municipalities/2080/people/new", data={
        "name": "Björn Ängström", "email": " Bjorn.Angstrom@Falun.se ", "role": "agent",
        "unit": "Hemtjänsten"})  # fmt: skip
    assert response.status_code == 302
    person = db.session.scalar(db.select(User).filter_by(email="bjorn.angstrom@falun.se"))
    assert (person.role, person.unit, person.password_hash) == (Role.AGENT, "Hemtjänsten", None)
    assert person.municipality.code == "2080"
    page = client.get(response.location).get_data(as_text=True)
    assert "Björn Ängström är tillagd" in page
    assert "Skicka aktiveringslänk" in page and "Lapp att skriva ut (PDF)" in page
    slip = client.get(f"/municipalities/people/{person.id}/activation.pdf")
    assert slip.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(slip.data)).pages[0].extract_text()
    assert "Björn Ängström" in text and "bjorn.angstrom@falun.se" in text
    assert client.post(f"/municipalities/people/{person.id}/activation").status_code == 302
    (mail,) = outbox_to("bjorn.angstrom@falun.se")
    assert mail.kind == "activation"


def test_no_activation_link_for_someone_with_a_password(client, auth, create_user):
    person = create_user(name="Har Lösenord")
    auth.login_as(create_user(role=Role.COORDINATOR))
    page = client.get(f"/municipalities/people/{person.id}").get_data(as_text=True)
    assert "Skicka aktiveringslänk" not in page
    client.post(f"/municipalities/people/{person.id}/activation")
    assert outbox_to(person.email) == []
    response = client.get(f"/municipalities/people/{person.id}/activation.pdf")
    assert response.status_code == 302, "back to the person page, with a message"
    assert "behöver ingen aktiveringslänk" in client.get(response.location).get_data(as_text=True)


# --- edit and certification -------------------------------------------------------------------


def test_demoting_an_agent_through_edit_ends_certification(client, auth, create_user):
    agent = create_user(role=Role.AGENT, name="Agent Agentsson")
    certify_agent(agent)
    assert is_certified(agent)
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = client.post(f"/municipalities/people/{agent.id}",
                           data={"name": "Agent Agentsson", "role": "employee", "unit": "Skolan"})  # fmt: skip
    assert response.status_code == 302
    agent = fresh(agent)
    assert agent.role == Role.EMPLOYEE and agent.unit == "Skolan"
    assert not is_certified(agent)
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=agent.id))
    assert certificate.revoked and "aktiv mötesagent" in certificate.revoked_reason


def test_renaming_an_agent_keeps_certification(client, auth, create_user):
    agent = create_user(role=Role.AGENT)
    certify_agent(agent)
    auth.login_as(create_user(role=Role.COORDINATOR))
    client.post(f"/municipalities/people/{agent.id}", data={"name": "Nytt Namn", "role": "agent"})
    assert fresh(agent).name == "Nytt Namn" and is_certified(fresh(agent))


def test_edit_errors_re_render(client, auth, create_user):
    person = create_user(name="Kvar Som Förut")
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = client.post(
        f"/municipalities/people/{person.id}", data={"name": "", "role": "agent"}
    )
    assert response.status_code == 422 and "Skriv personens namn" in response.get_data(as_text=True)
    assert fresh(person).name == "Kvar Som Förut" and fresh(person).role == Role.EMPLOYEE


# --- move -------------------------------------------------------------------------------------


def test_a_moved_person_keeps_history_and_counts_where_they_are(
    client, auth, create_user, courses, municipalities
):
    person = create_user(name="Flyttar Nu")
    complete(person, courses["employee"])
    before_falun = reports.coverage_of(municipalities["2080"]).staff_trained
    before_mora = reports.coverage_of(municipalities["2062"]).staff_trained
    auth.login_as(create_user(role=Role.ADMIN))
    response = client.post(
        f"/municipalities/people/{person.id}/move", data={"municipality": "2062"}
    )
    assert response.status_code == 302
    assert fresh(person).municipality.code == "2062"
    assert db.session.scalar(db.select(CourseCompletion).filter_by(user_id=person.id)) is not None
    db.session.expire_all()
    assert reports.coverage_of(municipalities["2080"]).staff_trained == before_falun - 1
    assert reports.coverage_of(municipalities["2062"]).staff_trained == before_mora + 1
    mora = client.get("/municipalities/2062?trained=yes").get_data(as_text=True)
    assert "Flyttar Nu" in mora


def test_moving_an_agent_ends_certification(client, auth, create_user):
    agent = create_user(role=Role.AGENT)
    certify_agent(agent)
    auth.login_as(create_user(role=Role.ADMIN))
    client.post(f"/municipalities/people/{agent.id}/move", data={"municipality": "2062"})
    agent = fresh(agent)
    assert agent.municipality.code == "2062" and agent.role == Role.AGENT
    assert not is_certified(agent)


def test_move_refuses_the_same_municipality_and_admins(client, auth, create_user):
    person = create_user()
    admin = create_user(role=Role.ADMIN)
    other_admin = create_user(role=Role.ADMIN)
    auth.login_as(admin)
    response = client.post(
        f"/municipalities/people/{person.id}/move", data={"municipality": "2080"}
    )
    assert response.status_code == 422 and fresh(person).municipality.code == "2080"
    response = client.post(f"/municipalities/people/{other_admin.id}/move",
                           data={"municipality": "2080"})  # fmt: skip
    assert response.status_code == 404 and fresh(other_admin).municipality is None
    assert "Flytta till en annan kommun" in client.get(
        f"/municipalities/people/{person.id}").get_data(as_text=True)  # fmt: skip


# --- search, filters, pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["ängström", "ÄNGSTRÖM", "björn", "Björn Ä", "BJORN.ANG", "falun.se"]
)
def test_search_folds_swedish_letters(client, auth, create_user, text):
    create_user(name="Björn Ängström", email="bjorn.angstrom@falun.se")
    create_user(name="Anna Berg", email="anna.berg@borlange.se")
    auth.login_as(create_user(role=Role.COORDINATOR, email="koordinator@kommun.se"))
    html = client.get("/municipalities/2080", query_string={"q": text}).get_data(as_text=True)
    assert "Björn Ängström" in html and "Anna Berg" not in html
    assert "1 person</p>" in html


@pytest.mark.parametrize("text", ["%", "_", "ångström"])
def test_search_takes_wildcards_literally(client, auth, create_user, text):
    create_user(name="Björn Ängström")
    auth.login_as(create_user(role=Role.COORDINATOR))
    html = client.get("/municipalities/2080", query_string={"q": text}).get_data(as_text=True)
    assert "Björn Ängström" not in html and "0 personer" in html


def test_filters_by_role_status_and_the_coverage_rule(client, auth, create_user, courses):
    trained = create_user(name="Utbildad Online")
    complete(trained, courses["employee"])
    left = create_user(name="Slutat Utbildad", active=False)
    complete(left, courses["employee"])  # deactivated: not counted as trained by coverage
    create_user(name="Inte Utbildad")
    create_user(role=Role.AGENT, name="Agent Utan")
    auth.login_as(create_user(role=Role.COORDINATOR, name="Koord Inator"))

    def names(**args) -> set[str]:
        html = client.get("/municipalities/2080", query_string=args).get_data(as_text=True)
        html = html.split("<tbody>")[1] if "<tbody>" in html else ""
        everyone = {"Utbildad Online", "Slutat Utbildad", "Inte Utbildad", "Agent Utan",
                    "Koord Inator"}  # fmt: skip
        return {name for name in everyone if name in html}

    assert names(trained="yes") == {"Utbildad Online"}
    assert names(trained="no") == {"Slutat Utbildad", "Inte Utbildad", "Agent Utan",
                                   "Koord Inator"}  # fmt: skip
    assert names(role="agent") == {"Agent Utan"}
    assert names(status="deactivated") == {"Slutat Utbildad"}
    assert names(status="active", trained="no", q="utbildad") == {"Inte Utbildad"}
    assert client.get("/municipalities/2080?role=chef").status_code == 422


def test_pages_of_50_keep_the_filters(client, auth, create_user):
    for number in range(120):
        create_user(name=f"Medarbetare {number:03}")
    auth.login_as(create_user(role=Role.COORDINATOR, name="Koord"))
    first = client.get("/municipalities/2080?q=medarbetare&status=active").get_data(as_text=True)
    assert "120 personer" in first and first.split("<tbody>")[1].count("<tr>") == 50
    assert "Första sidan" not in first
    second = next_page(client, first)
    assert "q=medarbetare" in second.request.url and "status=active" in second.request.url
    html = second.get_data(as_text=True)
    assert "Medarbetare 050" in html and "Medarbetare 049" not in html
    third = next_page(client, html).get_data(as_text=True)
    assert "Medarbetare 119" in third and "Medarbetare 069" not in third
    assert third.count("<tr>") == 1 + 20 and "Första sidan" in third
    assert "Nästa sida" not in third
    assert client.get("/municipalities/2080?after=bm90LWEtY3Vyc29y").status_code == 400


def next_page(client, html: str):
    """Follow the page's "Nästa sida" link."""
    link = re.search(r'<a href="([^"]+)">Nästa sida</a>', html)
    assert link, "no next page"
    return client.get(link.group(1).replace("&amp;", "&"))


def test_the_list_runs_a_fixed_number_of_queries(client, auth, create_user, courses):
    coordinator = create_user(role=Role.COORDINATOR)
    auth.login_as(coordinator)
    after = keyset.cursor((2, "Test", 1))
    urls = ["/municipalities/2080", f"/municipalities/2080?q=test&trained=no&after={after}",
            "/municipalities/2080?trained=yes&role=employee"]  # fmt: skip

    def counts() -> list[int]:
        result = []
        for url in urls:
            with QueryCounter(db.engine) as counter:
                assert client.get(url).status_code == 200
            result.append(counter.count)
        return result

    for _ in range(5):
        complete(create_user(), courses["employee"])
    small = counts()
    for number in range(115):
        person = create_user(role=Role.AGENT if number % 7 == 0 else Role.EMPLOYEE)
        if number % 3 == 0:
            complete(person, courses["employee"])
    assert counts() == small
    assert max(small) <= 6


def test_a_coordinators_roster_cannot_give_the_coordinator_role(client, auth, create_user):
    me = create_user(role=Role.COORDINATOR, email="jag@falun.se", name="Jag Själv")
    colleague = create_user(role=Role.COORDINATOR, email="kollega@falun.se", name="Kollega")
    staff = create_user(email="personal@falun.se", name="Personal")
    auth.login_as(me)
    roster = (
        "email;name;role\n"
        "jag@falun.se;Jag Själv;coordinator\n"  # unchanged: fine
        "kollega@falun.se;Kollega;employee\n"  # demoting a coordinator: refused
        "personal@falun.se;Personal;coordinator\n"  # promoting: refused
        "ny@falun.se;Ny Chef;kommunkoordinator\n"  # creating one: refused
        "ny.agent@falun.se;Ny Agent;agent\n"  # fine
    )
    html = client.post("/municipalities/2080/roster",
                       data={"file": (io.BytesIO(roster.encode()), "lista.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    assert html.count("bara programkontoret ger eller ändrar rollen kommunkoordinator") == 3
    assert fresh(colleague).role == Role.COORDINATOR and fresh(staff).role == Role.EMPLOYEE
