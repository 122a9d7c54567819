"""Every route of the app (each endpoint with each of its methods, read from the app's URL map)
tried as every role, against a table of who may use it; and URLs of other municipalities.

The table says who may, not how the app decides: a new route fails here until it has an entry.
Each request runs inside a savepoint rolled back after it, so a POST that is let through (a
cancellation, an erasure, a logout) changes nothing for the next one.
"""

import copy
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import url_for

from app import create_app
from app.auth.links import LinkPurpose, link_token
from app.auth.models import User
from app.auth.tokens import ApiToken, create_token
from app.certificates.services import issue_certificate
from app.config import TestConfig
from app.core.jobs.models import Job, JobState
from app.core.roles import Role
from app.core.time import utcnow
from app.courses.content import Quiz
from app.courses.models import Course, Module
from app.courses.services import write_courses
from app.effect.models import TravelFreeMeeting
from app.extensions import db
from app.mail.models import OutboxMessage
from app.municipalities.models import Municipality
from app.municipalities.services import seed_municipalities
from app.quizzes.services import start_attempt
from app.training.services import create_session
from tests.support import PASSWORD
from tests.support.apps import JOINED, rolled_back
from tests.support.auth import password_hash
from tests.support.courses import complete
from tests.support.training import certify_agent, details

ANONYMOUS = "anonymous"
EMPLOYEE, AGENT, COORDINATOR, ADMIN = Role.EMPLOYEE, Role.AGENT, Role.COORDINATOR, Role.ADMIN
ROLES = (ANONYMOUS, EMPLOYEE, AGENT, COORDINATOR, ADMIN)
IGNORED_METHODS = {"HEAD", "OPTIONS"}  # answered by Flask for every GET / every route


@dataclass(frozen=True)
class May:
    """Who may use a route. Signed-in people who may not get `refused`: 403, or 404 where the
    app does not confirm that the thing exists; anonymous people the login page (401 in the
    API)."""

    who: frozenset
    refused: int = 403


def may(*who: str, refused: int = 403) -> May:
    """The roles that may use a route, and what the others get."""
    return May(frozenset(who), refused)


EVERYONE = may(*ROLES)
SIGNED_IN = may(EMPLOYEE, AGENT, COORDINATOR, ADMIN)
NOBODY = may(refused=404)  # someone else's attempt, job or token: hidden from everyone
OFFICE = may(ADMIN)  # the programme office
COORDINATORS = may(COORDINATOR, ADMIN)  # their own municipality (Falun here), and the office
LOGGERS = may(AGENT, COORDINATOR, ADMIN)  # who logs travel-free meetings
TRAINERS = may(AGENT, ADMIN)  # who works with sessions (the agent here is certified)
SESSION_MANAGERS = may(AGENT, ADMIN, refused=404)  # the session's own agent, and the office

# The world the routes are tried on (see `world`): everyone but the admin in Falun; the agent is
# certified and runs an end-user session there; "the person" is a Falun employee who has not
# chosen a password yet and holds a certificate, an unfinished quiz attempt, a finished job and
# an API token (so those four are someone else's for every role).
ACCESS: dict[str, dict[str, May]] = {
    "account.change_password": {"POST": SIGNED_IN},
    "account.create_token": {"POST": SIGNED_IN},
    "account.my_data": {"GET": SIGNED_IN},
    "account.profile": {"GET": SIGNED_IN},
    "account.revoke_token": {"POST": NOBODY},
    "account.update_profile": {"POST": SIGNED_IN},
    "api.certificate": {"GET": EVERYONE},
    "api.coverage": {"GET": COORDINATORS},
    "api.effect": {"GET": COORDINATORS},
    "api.log_meeting": {"POST": LOGGERS},
    "api.municipality_coverage": {"GET": COORDINATORS},
    "api.municipality_effect": {"GET": COORDINATORS},
    "api.openapi": {"GET": EVERYONE},
    "api.xapi_statements": {"GET": COORDINATORS},
    "auth.activate": {"GET": EVERYONE, "POST": EVERYONE},
    "auth.forgot_password": {"GET": EVERYONE, "POST": EVERYONE},
    "auth.language": {"POST": EVERYONE},
    "auth.login": {"GET": EVERYONE, "POST": EVERYONE},
    "auth.logout": {"POST": EVERYONE},
    "auth.reset_password": {"GET": EVERYONE, "POST": EVERYONE},
    "certificates.download": {"GET": may(COORDINATOR, ADMIN, refused=404)},
    "certificates.export_csv": {"POST": COORDINATORS},
    "certificates.index": {"GET": COORDINATORS},
    "certificates.mine": {"GET": SIGNED_IN},
    "certificates.print_pack": {"POST": COORDINATORS},
    "certificates.revoke": {"GET": COORDINATORS, "POST": COORDINATORS},
    "certificates.verify": {"GET": EVERYONE},
    "certificates.verify_form": {"GET": EVERYONE},
    "core.accessibility": {"GET": EVERYONE},
    "core.healthz": {"GET": EVERYONE},
    "courses.catalogue": {"GET": SIGNED_IN},
    "courses.course": {"GET": SIGNED_IN},
    "courses.course_file": {"GET": may(AGENT, ADMIN, refused=404)},  # the agent course's
    "courses.lesson": {"GET": SIGNED_IN},
    "effect.correct": {"GET": LOGGERS, "POST": LOGGERS},  # the agent's own entry
    "effect.how": {"GET": LOGGERS, "POST": OFFICE},
    "effect.import_file": {"GET": COORDINATORS, "POST": COORDINATORS},
    "effect.log": {"GET": LOGGERS, "POST": LOGGERS},
    "effect.municipality": {"GET": COORDINATORS},
    "effect.municipality_settings": {"POST": OFFICE},
    "effect.overview": {"GET": LOGGERS},
    "effect.report": {"POST": OFFICE},
    "jobs.download": {"GET": NOBODY},
    "jobs.show": {"GET": NOBODY},
    "jobs.status": {"GET": NOBODY},
    "mail.outbox": {"GET": OFFICE},
    "mail.retry": {"POST": OFFICE},
    "municipalities.activation": {"POST": COORDINATORS},
    "municipalities.facts": {"GET": COORDINATORS, "POST": COORDINATORS},
    "municipalities.facts_overview": {"GET": OFFICE},
    "municipalities.index": {"GET": OFFICE},
    "municipalities.move_person": {"POST": OFFICE},
    "municipalities.new_person": {"GET": COORDINATORS, "POST": COORDINATORS},
    "municipalities.people": {"GET": COORDINATORS},
    "municipalities.person": {"GET": COORDINATORS, "POST": COORDINATORS},
    "municipalities.person_slip": {"GET": COORDINATORS},
    "municipalities.roster_import": {"GET": COORDINATORS, "POST": COORDINATORS},
    "municipalities.send_person_activation": {"POST": COORDINATORS},
    "municipalities.set_targets": {"POST": OFFICE},
    "municipalities.toggle_active": {"POST": COORDINATORS},
    "practice.page": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "privacy.audit_log": {"GET": OFFICE},
    "privacy.erase": {"GET": OFFICE, "POST": OFFICE},
    "privacy.notice": {"GET": EVERYONE},
    "quizzes.answer": {"POST": NOBODY},
    "quizzes.attempt": {"GET": NOBODY},
    "quizzes.history": {"GET": SIGNED_IN},
    "quizzes.result": {"GET": NOBODY},
    "quizzes.start": {"POST": SIGNED_IN},
    "quizzes.start_page": {"GET": SIGNED_IN},
    "reports.coverage_export": {"POST": OFFICE},
    "reports.municipality": {"GET": COORDINATORS},
    "reports.overview": {"GET": COORDINATORS},
    "reports.table_export": {"POST": COORDINATORS},
    "sso.callback": {"GET": EVERYONE},
    "sso.login": {"GET": EVERYONE, "POST": EVERYONE},
    "start.index": {"GET": EVERYONE},
    "static": {"GET": EVERYONE},
    "training.add_participants": {"POST": SESSION_MANAGERS},
    "training.attendance": {"POST": SESSION_MANAGERS},
    "training.attendance_sheet": {"GET": SESSION_MANAGERS},
    "training.calendar_file": {"GET": SIGNED_IN},
    "training.cancel": {"POST": SESSION_MANAGERS},
    "training.check_in": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "training.confirm_practice": {"POST": may(ADMIN, refused=404)},  # the admin's follow-up
    "training.create": {"GET": TRAINERS, "POST": TRAINERS},
    "training.detail": {"GET": SIGNED_IN},
    "training.edit": {"GET": SESSION_MANAGERS, "POST": SESSION_MANAGERS},
    "training.evaluate": {"POST": NOBODY},  # only attendees, once it has been held
    "training.index": {"GET": SIGNED_IN},
    "training.kit": {"GET": TRAINERS},
    "training.kit_docx": {"GET": TRAINERS},
    "training.kit_pdf": {"GET": TRAINERS},
    "training.reach": {"GET": may(EMPLOYEE, AGENT)},  # agents, and former agents
    "training.register": {"POST": may(EMPLOYEE, COORDINATOR, refused=404)},  # not its trainer
    "training.reopen": {"POST": OFFICE},
    "training.unregister": {"POST": SIGNED_IN},
}

# URLs of other municipalities and courses, beyond the routes above: {role: status}; anonymous
# people are sent to the login page (302).
MATRIX = [
    ("/", {ANONYMOUS: 200, EMPLOYEE: 200, AGENT: 200, COORDINATOR: 200, ADMIN: 200}),
    ("/courses/", {ANONYMOUS: 302, EMPLOYEE: 200, AGENT: 200, COORDINATOR: 200, ADMIN: 200}),
    ("/courses/end-user", {ANONYMOUS: 302, EMPLOYEE: 200, AGENT: 200, COORDINATOR: 200, ADMIN: 200}),
    ("/courses/end-user/grunder/varfor-resfritt", {ANONYMOUS: 302, EMPLOYEE: 200, AGENT: 200, COORDINATOR: 200, ADMIN: 200}),
    ("/courses/agent", {ANONYMOUS: 302, EMPLOYEE: 404, AGENT: 200, COORDINATOR: 404, ADMIN: 200}),
    ("/courses/agent/skills/videorummet", {ANONYMOUS: 302, EMPLOYEE: 404, AGENT: 200, COORDINATOR: 404, ADMIN: 200}),
    ("/municipalities/", {ANONYMOUS: 302, EMPLOYEE: 403, AGENT: 403, COORDINATOR: 403, ADMIN: 200}),
    ("/municipalities/2080", {ANONYMOUS: 302, EMPLOYEE: 403, AGENT: 403, COORDINATOR: 200, ADMIN: 200}),
    ("/municipalities/2062", {ANONYMOUS: 302, EMPLOYEE: 403, AGENT: 403, COORDINATOR: 404, ADMIN: 200}),
    ("/municipalities/9999", {ANONYMOUS: 302, EMPLOYEE: 403, AGENT: 403, COORDINATOR: 404, ADMIN: 404}),
]  # fmt: skip


def app_routes() -> list[tuple[str, str, str]]:
    """Every (endpoint, method, rule) of the app's URL map, as registered by create_app."""
    app = create_app(TestConfig, {"DATABASE_URL": "sqlite://"})
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - IGNORED_METHODS
    )


ROUTES = app_routes()


class QueueOnly:
    """The job runner while routes are tried: a started job stays queued (the matrix is about
    who may start one)."""

    def submit(self, *_args, **_kwargs) -> Future:
        """Run nothing: a future that never ends."""
        return Future()

    def shutdown(self, wait: bool = True) -> None:
        """Nothing runs."""


@dataclass
class World:
    """The rows the routes are tried on, each role's session cookie, and the test's connection."""

    app: object
    values: dict[str, object]  # URL arguments by name
    cookies: dict[str, str]  # role -> session cookie

    def request(self, role: str, method: str, url: str):
        """The response to one request by the role, its changes rolled back afterwards."""
        client = self.app.test_client()
        if role != ANONYMOUS:
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookies[role])
        connection, _thread = self.app.extensions[JOINED]
        savepoint = connection.begin_nested()
        try:
            response = client.open(url, method=method, data={})
            response.close()
        finally:
            savepoint.rollback()
        return response


def _person(role: str, email: str, falun: Municipality | None, password: str | None = PASSWORD):
    """A person of the world, committed (no password: one still to be chosen)."""
    user = User(email=email, name=email.split("@")[0].title(), role=role, municipality=falun,
                password_hash=password_hash(password) if password else None)  # fmt: skip
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture(scope="module")
def world(shared_app, parsed_courses):
    """The world of the table above, built once for the module and rolled back after it."""
    jobs_runner = shared_app.extensions["jobs"]
    shared_app.extensions["jobs"] = QueueOnly()
    with rolled_back(shared_app) as app:
        seed_municipalities()
        write_courses(copy.deepcopy(parsed_courses))
        falun = db.session.scalar(db.select(Municipality).filter_by(code="2080"))
        users = {role: _person(role, f"{role}@falun.se", falun) for role in ROLES[1:-1]}
        users[ADMIN] = _person(ADMIN, "admin@example.se", None)
        person = _person(EMPLOYEE, "person@falun.se", falun, password=None)
        certify_agent(users[AGENT])
        session = create_session(users[AGENT], details(capacity=10))
        follow_up = create_session(users[ADMIN], details(start_in=timedelta(days=9)))
        end_user = db.session.scalar(db.select(Course).filter_by(slug="end-user"))
        complete(person, end_user)
        certificate = issue_certificate(person, end_user)
        quiz = db.session.scalar(
            db.select(Quiz).join(Module).where(Module.course_id == end_user.id)
        )
        attempt = start_attempt(person, quiz)
        create_token(person, "Mötesplattformen")
        token = db.session.scalar(db.select(ApiToken).filter_by(user_id=person.id))
        job = Job(kind="certificates_csv", owner_id=person.id, state=JobState.DONE,
                  filename="intyg.csv", finished_at=utcnow())  # fmt: skip
        entry = TravelFreeMeeting(municipality_id=falun.id, held_on=utcnow().date(), form="web",
                                  created_by_id=users[AGENT].id)  # fmt: skip
        message = OutboxMessage(kind="test", recipient=person.email, subject="Hej",
                                body_text="Hej", body_html="<p>Hej</p>")  # fmt: skip
        db.session.add_all([job, entry, message])
        db.session.commit()
        values = {
            "code": "2080", "slug": "end-user", "module_slug": "grunder",
            "lesson_slug": "varfor-resfritt", "filename": "css/site.css",
            "certificate_id": certificate.id, "session_id": session.id, "user_id": person.id,
            "attempt_id": attempt.id, "job_id": job.id, "token_id": token.id,
            "message_id": message.id, "entry_id": entry.id, "kind": "csv", "table": "people",
            "year": utcnow().year,
            "token": link_token(person, LinkPurpose.ACTIVATE),
            ("courses.course_file", "slug"): "agent",
            ("courses.course_file", "filename"): "1-skills/img/nar-ljudet-inte-fungerar.svg",
            ("auth.reset_password", "token"): link_token(person, LinkPurpose.RESET),
            ("api.certificate", "code"): certificate.code,
            ("certificates.verify", "code"): certificate.code,
            ("effect.report", "kind"): "pdf",
            ("training.confirm_practice", "session_id"): follow_up.id,
            ("training.kit_docx", "slug"): "lektionsplan",
            ("training.kit_pdf", "slug"): "lektionsplan",
        }  # fmt: skip
        cookies = {}
        for role, user in users.items():
            client = app.test_client()
            response = client.post("/login", data={"email": user.email, "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
            cookies[role] = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
        db.session.commit()
        yield World(app, values, cookies)
    shared_app.extensions["jobs"] = jobs_runner


def url_of(world: World, endpoint: str, rule: str) -> str:
    """The route's URL with the world's values for its arguments."""
    arguments = {}
    (route,) = world.app.url_map.iter_rules(endpoint)
    for name in sorted(route.arguments):
        key = (endpoint, name) if (endpoint, name) in world.values else name
        assert key in world.values, f"{endpoint} ({rule}): no value for <{name}> in `world`"
        arguments[name] = world.values[key]
    with world.app.test_request_context():
        return url_for(endpoint, **arguments)


def outcome(response) -> int | str:
    """The status, or "login" for the redirect to the login page that anonymous people get."""
    if response.status_code == 302 and response.location.startswith("/login?next="):
        return "login"
    return response.status_code


def let_through(status: int | str) -> bool:
    """The request reached the page or the action: a page, a redirect (not to the login
    page), or a form's answer to what is missing (400/422)."""
    return status != "login" and (200 <= status < 400 or status in (400, 422))


def test_every_route_has_an_entry_and_every_entry_a_route():
    routes = {(endpoint, method) for endpoint, method, _ in ROUTES}
    table = {(endpoint, method) for endpoint, methods in ACCESS.items() for method in methods}
    missing = sorted(routes - table)
    assert not missing, "routes without an entry in ACCESS (say who may use them): " + ", ".join(
        f"{endpoint} {method}" for endpoint, method in missing
    )
    assert not table - routes, f"entries in ACCESS for no route: {sorted(table - routes)}"


@pytest.mark.parametrize(
    ("endpoint", "method", "rule"),
    [pytest.param(*route, id=f"{route[1]} {route[0]}") for route in ROUTES],
)
def test_route_answers_each_role_as_the_table_says(world, endpoint, method, rule):
    entry = ACCESS.get(endpoint, {}).get(method)
    assert entry is not None, f"{method} {rule} ({endpoint}) has no entry in ACCESS: add who may"
    url = url_of(world, endpoint, rule)
    api = url.startswith("/api/")
    got, wrong = {}, []
    for role in ROLES:
        status = outcome(world.request(role, method, url))
        got[str(role)] = status
        if role in entry.who:
            if not let_through(status):
                wrong.append(f"{role} may but got {status}")
        elif role == ANONYMOUS:
            if status != (401 if api else "login"):
                wrong.append(f"{role} should get {401 if api else 'the login page'}, got {status}")
        elif status != entry.refused:
            wrong.append(f"{role} should get {entry.refused}, got {status}")
    assert not wrong, f"{method} {url}: " + "; ".join(wrong) + f" (all: {got})"


@pytest.mark.parametrize(("url", "expected"), [pytest.param(*row, id=row[0]) for row in MATRIX])
def test_urls_of_other_municipalities_and_courses(world, url, expected):
    for role, status in expected.items():
        response = world.request(role, "GET", url)
        assert response.status_code == status, (url, role)
        if status == 302:
            assert response.location.startswith("/login?next="), (url, role)
