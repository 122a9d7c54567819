"""Fuzzing the API from its own OpenAPI document (schemathesis): every operation answers as
documented, with an admin's bearer token and without credentials, on a little seeded data."""

from datetime import timedelta

import pytest
import schemathesis
from flask import Flask
from flask.globals import _cv_app
from hypothesis import HealthCheck, settings

from app.api.openapi import OPENAPI
from app.certificates.services import revoke_certificate
from app.core.roles import Role
from app.courses.content import Quiz
from app.extensions import db
from app.training.models import AttendanceStatus
from app.training.services import create_session, mark_attendance, register
from tests.support.quizzes import pass_quiz
from tests.support.training import certify_agent, details, move

VALID, REVOKED = "K7QMX2RTPA9D", "RVKDRVKDRVKD"  # the seeded certificates' codes
KNOWN = {  # path parameters that name seeded rows, tried besides the generated ones
    "/municipalities/{code}/coverage": ["2080", "2062"],
    "/municipalities/{code}/effect": ["2080", "2062"],
    "/certificates/{code}": [VALID, REVOKED, "k7qm-x2rt-pa9d"],
}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.negative_data_rejection,
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.unsupported_method,
    schemathesis.checks.allow_header_conformance,
    schemathesis.checks.ignored_auth,  # 2xx only with credentials, and never with bad ones
]
FUZZ = settings(
    max_examples=50,  # per operation, besides schemathesis's coverage cases
    derandomize=True,  # the same cases on every run and machine
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # seeded once per operation
)


class CurrentApp:
    """The WSGI app schemathesis calls: the current test's app, each request in its own app
    context (the test keeps one open for `db.session`), as `RequestIsolatedClient` does."""

    app: Flask | None = None

    def __call__(self, environ, start_response):
        assert self.app is not None, "use the `api` fixture"
        token = _cv_app.set(None)
        try:
            return self.app(environ, start_response)
        finally:
            _cv_app.reset(token)


current = CurrentApp()
# The document the app serves (test_the_served_document_is_the_one_fuzzed); schemathesis's
# lazy `from_fixture` loader does not run on pytest 9.2, so it is loaded once at import.
schema = schemathesis.openapi.from_dict(OPENAPI)
schema.app = current


@schema.hook
def before_add_examples(context, examples):
    for code in KNOWN.get(context.operation.path, []):
        examples.append(context.operation.Case(path_parameters={"code": code}))


@pytest.fixture
def api(app, municipalities, synced_courses, create_user):
    """The app on Falun's story: a certified agent's held session with attendance, quiz
    attempts in two municipalities, a valid and a revoked certificate."""
    agent = create_user(role=Role.AGENT, name="Łukasz Ärlig", email="lukasz@falun.se")
    certify_agent(agent).code = VALID
    session = create_session(agent, details())
    staff = [create_user() for _ in range(3)]
    for person in staff:
        register(person, session)
    move(session, -timedelta(hours=2), 60)
    mark_attendance(agent, session, {p.id: AttendanceStatus.ATTENDED for p in staff[:2]})
    quiz = db.session.scalar(db.select(Quiz))
    pass_quiz(staff[2], quiz)
    pass_quiz(create_user(municipality_code="2062"), quiz, right=False)
    admin = create_user(role=Role.ADMIN)
    revoked = certify_agent(create_user(role=Role.AGENT, municipality_code="2062"))
    revoked.code = REVOKED
    revoke_certificate(revoked, admin, "Fel person")
    db.session.commit()
    current.app = app
    yield admin
    current.app = None


@pytest.fixture
def admin_token(api, runner):
    result = runner.invoke(args=["users", "token", api.email, "--read-only"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


@pytest.mark.fuzz
@schema.parametrize()
@FUZZ
def test_api_as_admin(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)


@pytest.mark.fuzz
@schema.parametrize()
@FUZZ
def test_api_without_credentials(case, api):
    """Only what schemathesis makes up (no header, or a random bearer token or cookie):
    the documented 401 from every operation that needs someone signed in."""
    response = case.call_and_validate(checks=CHECKS)
    needs_someone = case.operation.definition.raw.get("security", OPENAPI["security"])
    if needs_someone and case.method == case.operation.method.upper():
        valid = case.meta is None or case.meta.generation.mode.is_positive
        expected = {401} if valid else {401, 404}  # an invalid path may match no route
        assert response.status_code in expected, (case.path_parameters, response.status_code)


def test_the_served_document_is_the_one_fuzzed(client):
    assert client.get("/api/v1/openapi.json").get_json() == OPENAPI
    operations = {(result.ok().method, result.ok().path) for result in schema.get_all_operations()}
    assert operations == {
        (method, path) for path, item in OPENAPI["paths"].items() for method in item
    }


@pytest.fixture
def coordinator_token(api, create_user):
    from app.auth.tokens import create_token

    return create_token(create_user(role=Role.COORDINATOR), "Mötesplattformen")


@pytest.mark.fuzz
@schema.include(path="/meetings").parametrize()
@FUZZ
def test_logging_meetings_with_a_token_that_may_write(case, coordinator_token):
    """Whatever is posted, the answer is a documented 201, 404 or 422, never a 500. (A date
    that fits the pattern may still be in the future: 422, so schema-valid data is not always
    accepted.)"""
    checks = [
        check for check in CHECKS if check is not schemathesis.checks.positive_data_acceptance
    ]
    case.call_and_validate(headers={"Authorization": f"Bearer {coordinator_token}"},
                           checks=checks)  # fmt: skip
