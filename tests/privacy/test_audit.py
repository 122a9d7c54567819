"""The audit log: coordinators' and the programme office's actions, who, what, when; admins read
it, filtered by person and action, a page at a time."""

import base64
import re
from datetime import timedelta

import pytest

from app.certificates.models import Certificate
from app.certificates.services import revoke_certificate
from app.core.audit import AuditAction, AuditEntry, audit
from app.core.roles import Role
from app.extensions import db
from app.municipalities.services import move_person, set_active, set_targets, update_person
from app.training.models import AttendanceStatus
from app.training.services import create_session, mark_attendance, register, reopen_session
from tests.support.jobs import wait_for_job
from tests.support.queries import QueryCounter
from tests.support.training import certify_agent, details, move


def entries() -> list[tuple]:
    """(actor, action, subject, municipality, details) of every entry, oldest first."""
    db.session.expire_all()
    return [
        (e.actor_id, e.action, e.subject_id, e.municipality_id, e.details)
        for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))
    ]


def test_role_changes_moves_and_deactivation_are_logged(create_user, municipalities):
    admin, person = create_user(role=Role.ADMIN), create_user()
    falun, mora = municipalities["2080"].id, municipalities["2062"].id
    update_person(person, person.name, Role.AGENT, "", by=admin)
    update_person(person, "Nytt Namn", Role.AGENT, "Skolan", by=admin)  # no role change
    move_person(person, municipalities["2062"], by=admin)
    set_active(person, False, by=admin)
    set_active(person, True, by=admin)
    set_targets(municipalities["2062"], 120, 4, admin)
    a, p = admin.id, person.id
    assert entries() == [
        (a, AuditAction.ROLE_CHANGED, p, falun, {"old": "employee", "new": "agent"}),
        (a, AuditAction.PERSON_MOVED, p, mora, {"old": "2080", "new": "2062"}),
        (a, AuditAction.PERSON_DEACTIVATED, p, mora, {}),
        (a, AuditAction.PERSON_REACTIVATED, p, mora, {}),
        (a, AuditAction.TARGETS_SET, None, mora, {"staff": 120, "agents": 4}),
    ]


@pytest.mark.real_commits
def test_a_roster_import_and_activation_links_are_logged(client, auth, create_user):
    coordinator = create_user(role=Role.COORDINATOR)
    auth.login_as(coordinator)
    roster = "email;name;role\nny@falun.se;Ny Person;employee\nfel;Fel;employee\n"
    data = base64.b64encode(roster.encode()).decode()
    assert client.post("/municipalities/2080/roster", data={"data": data}).status_code == 302
    sent = wait_for_job(client, client.post("/municipalities/2080/activation/send"))
    assert sent["state"] == "done"
    logged = entries()
    falun = coordinator.municipality_id
    assert logged[0] == (coordinator.id, AuditAction.ROSTER_IMPORTED, None, falun,
                         {"municipalities": ["2080"], "created": 1, "updated": 0, "rejected": 1})  # fmt: skip
    (newcomer_id,) = [e[2] for e in logged if e[1] == AuditAction.ACTIVATION_SENT]
    assert newcomer_id is not None and len(logged) == 2


def test_revocations_reopened_sessions_and_attendance_are_logged(create_user):
    admin = create_user(role=Role.ADMIN)
    agent = create_user(role=Role.AGENT)
    certificate = certify_agent(agent)
    training_session = create_session(agent, details())
    staff = [create_user() for _ in range(3)]
    for person in staff:
        register(person, training_session)
    move(training_session, -timedelta(hours=1))
    marks = {staff[0].id: AttendanceStatus.ATTENDED, staff[1].id: AttendanceStatus.NO_SHOW}
    mark_attendance(agent, training_session, marks)
    mark_attendance(agent, training_session, marks)  # nothing changes: nothing logged
    reopen_session(training_session, admin, "Listan kom sent")
    revoke_certificate(db.session.get(Certificate, certificate.id), admin, "Fel person")
    here, s = agent.municipality_id, training_session.id
    assert entries() == [
        (agent.id, AuditAction.ATTENDANCE_MARKED, staff[0].id, here, {"session": s, "status": "attended"}),
        (agent.id, AuditAction.ATTENDANCE_MARKED, staff[1].id, here, {"session": s, "status": "no_show"}),
        (admin.id, AuditAction.SESSION_REOPENED, None, here, {"session": s, "reason": "Listan kom sent"}),
        (admin.id, AuditAction.CERTIFICATE_REVOKED, agent.id, here,
         {"code": certificate.code, "reason": "Fel person"}),
    ]  # fmt: skip


def test_an_entry_names_no_one_in_its_details(client, auth, create_user):
    person = create_user(name="Sara Hemlig", email="sara.hemlig@falun.se")
    admin = create_user(role=Role.ADMIN)
    update_person(person, person.name, Role.AGENT, "", by=admin)
    set_active(person, False, by=admin)
    assert "Hemlig" not in str(entries()) and "sara" not in str(entries())


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.AGENT, Role.COORDINATOR])
def test_only_admins_read_the_log(client, auth, create_user, role):
    assert client.get("/admin/audit").status_code == 302, "signed out: to the login page"
    auth.login_as(create_user(role=role))
    assert client.get("/admin/audit").status_code == 403


def test_the_log_filters_by_person_and_action(client, auth, create_user):
    admin = create_user(role=Role.ADMIN, name="Adam Admin")
    anna, bo = create_user(name="Anna Andersson"), create_user(name="Bo Berg")
    update_person(anna, anna.name, Role.AGENT, "", by=admin)
    set_active(bo, False, by=admin)
    set_active(anna, False, by=admin)
    auth.login_as(admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "3 händelser" in page and "Roll ändrad" in page and "Adam Admin" in page
    assert "från medarbetare till mötesagent" in page
    by_person = client.get(f"/admin/audit?person={anna.id}").get_data(as_text=True)
    assert "2 händelser" in by_person and "Bo Berg" not in by_person
    by_email = client.get(f"/admin/audit?person={bo.email.upper()}").get_data(as_text=True)
    assert "1 händelse" in by_email and "Bo Berg" in by_email
    both = client.get(f"/admin/audit?person={anna.id}&action=person_deactivated")
    assert "1 händelse" in both.get_data(as_text=True)


@pytest.mark.parametrize(
    "query, status",
    [("person=nobody@example.se", 422), ("person=2147483648", 422), ("action=unknown", 422),
     ("after=x", 400), ("after=WyJhIl0", 400), ("after=Wzk5OTk5OTk5OTk5XQ", 400),
     ("after=WzVd", 200), ("endpoint=x&_method=POST", 200)],
)  # fmt: skip
def test_bad_filters_get_a_clear_answer(client, auth, create_user, query, status):
    auth.login_as(create_user(role=Role.ADMIN))
    assert client.get(f"/admin/audit?{query}").status_code == status


def test_pages_of_50_newest_first_at_a_fixed_cost(client, auth, create_user):
    admin = create_user(role=Role.ADMIN)
    person = create_user()
    auth.login_as(admin)

    def cost() -> int:
        with QueryCounter(db.engine) as counter:
            assert client.get("/admin/audit?after=WzEwMF0").status_code == 200
        return counter.count

    for _ in range(60):
        audit(admin, AuditAction.PERSON_REACTIVATED, person)
    db.session.commit()
    small = cost()
    for _ in range(60):
        audit(admin, AuditAction.PERSON_DEACTIVATED, create_user())
    db.session.commit()
    assert cost() == small
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Nästa sida" in html and "after=" in html
    assert re.search(r"Konto avslutat.*Konto återaktiverat", html, re.S), "newest first"
