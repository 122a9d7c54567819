"""The OpenAPI document is valid and the API answers as documented; statements are well-formed;
dashboards and API requests run a fixed number of queries; the coverage rules' corner cases."""

from datetime import datetime, timedelta

import pytest
from openapi_spec_validator import validate

from app.api.openapi import OPENAPI
from app.core.roles import Role
from app.courses.models import Course
from app.extensions import db
from app.reports import queries
from app.training.models import TrainingSession
from tests.support.courses import complete
from tests.support.queries import QueryCounter
from tests.support.training import details


def test_openapi_document_is_valid():
    validate(OPENAPI)


def test_every_documented_endpoint_answers_as_documented(client, auth, create_user, falun_story):
    auth.login_as(create_user(role=Role.ADMIN))
    calls = {
        "/coverage": "/api/v1/coverage",
        "/municipalities/{code}/coverage": "/api/v1/municipalities/2080/coverage",
        "/certificates/{code}": "/api/v1/certificates/ABCDEFGHJKLM",
        "/xapi/statements": "/api/v1/xapi/statements",
        "/effect": "/api/v1/effect",
        "/municipalities/{code}/effect": "/api/v1/municipalities/2080/effect?year=2026",
        "/meetings": "/api/v1/meetings",
    }
    assert set(calls) == set(OPENAPI["paths"])
    for path, url in calls.items():
        (method,) = OPENAPI["paths"][path]
        response = client.open(url, method=method.upper(), json={} if method == "post" else None)
        documented = OPENAPI["paths"][path][method]["responses"]
        assert str(response.status_code) in documented, (path, response.status_code)
        assert response.is_json
    coverage = client.get("/api/v1/coverage").get_json()["municipalities"][0]
    assert set(coverage) == set(OPENAPI["components"]["schemas"]["Coverage"]["properties"])


def test_xapi_statements_are_well_formed(client, auth, create_user, falun_story):
    auth.login_as(create_user(role=Role.ADMIN))
    statements = client.get("/api/v1/xapi/statements").get_json()["statements"]
    assert statements
    for statement in statements:
        assert {"id", "actor", "verb", "object", "timestamp"} <= set(statement)
        assert statement["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/")
        assert statement["actor"]["mbox"].startswith("mailto:")
        assert statement["object"]["id"].startswith("http")
        assert datetime.fromisoformat(statement["timestamp"]).tzinfo is not None


def test_dashboards_and_api_run_a_fixed_number_of_queries(
    client, auth, create_user, falun_story, courses
):
    auth.login_as(create_user(role=Role.ADMIN))
    urls = ["/reports/", "/reports/2080", "/api/v1/coverage", "/api/v1/municipalities/2080/coverage",
            "/api/v1/xapi/statements"]  # fmt: skip

    def counts():
        result = []
        for url in urls:
            with QueryCounter(db.engine) as counter:
                assert client.get(url).status_code == 200
            result.append(counter.count)
        return result

    before = counts()
    for _ in range(15):
        complete(create_user(), courses["employee"])
        complete(create_user(municipality_code="2062"), courses["employee"])
    assert counts() == before


def test_coverage_corner_cases(falun_story, courses, create_user, municipalities):
    rows = lambda: {row.code: row for row in queries.coverage_by_municipality()}  # noqa: E731
    before = rows()["2080"].staff_trained
    # Completed twice (two end-user courses, online and via a session): counted once.
    twice = create_user()
    second = Course(slug="end-user-2", title="Slutanvändarutbildning 2", audience="employee")
    db.session.add(second)
    db.session.commit()
    complete(twice, courses["employee"], "session", falun_story["session"])
    complete(twice, second)
    assert rows()["2080"].staff_trained == before + 1
    # Moved to Mora: counts where they are now.
    twice.municipality = municipalities["2062"]
    db.session.commit()
    assert rows()["2080"].staff_trained == before and rows()["2062"].staff_trained == 2
    # An uncertified agent's session does not count as held.
    held = rows()["2080"].sessions_held
    uncertified = create_user(role=Role.AGENT)
    session = TrainingSession(kind="end_user", title="Ej certifierad", agent_id=uncertified.id,
                              municipality_id=uncertified.municipality_id, place="Rum",
                              **{k: v for k, v in vars(details(start_in=-timedelta(days=1))).items()
                                 if k in ("starts_at", "ends_at")})  # fmt: skip
    db.session.add(session)
    db.session.commit()
    assert rows()["2080"].sessions_held == held


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.AGENT])
def test_learners_cannot_read_coverage(client, auth, create_user, municipalities, role):
    auth.login_as(create_user(role=role))
    for url in (
        "/api/v1/coverage",
        "/api/v1/municipalities/2080/coverage",
        "/api/v1/xapi/statements",
    ):
        assert client.get(url).status_code == 403
