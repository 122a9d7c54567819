"""The JSON API: bearer tokens stored hashed, scoping like the pages, JSON errors, OpenAPI."""

import pytest

from app.auth.tokens import ApiToken
from app.core.roles import Role
from app.extensions import db
from tests.support.api import bearer


def test_cli_token_works_and_is_stored_hashed(runner, client, create_user, falun_story):
    coordinator = create_user(role=Role.COORDINATOR, email="koord@falun.se")
    result = runner.invoke(args=["users", "token", "KOORD@falun.se"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("vmr_") and len(token) > 40
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.token_hash != token and token not in stored.token_hash
    response = client.get("/api/v1/coverage", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    assert [m["code"] for m in body["municipalities"]] == ["2080"], "a coordinator sees their own"
    falun = body["municipalities"][0]
    assert set(falun) >= {"code", "name", "staff_target", "staff_trained", "coverage",
                          "agent_target", "agents_certified", "sessions_held"}  # fmt: skip
    assert (falun["staff_trained"], falun["coverage"]) == (3, 0.3)
    assert body["totals"]["staff_trained"] == 3
    assert (
        client.get("/api/v1/municipalities/2062/coverage", headers=bearer(token)).status_code == 404
    )
    one = client.get("/api/v1/municipalities/2080/coverage", headers=bearer(token)).get_json()
    assert one["agents"][0].keys() == {
        "email",
        "name",
        "certified",
        "sessions_held",
        "staff_trained",
        "practice_done",
        "practice_tasks",
    }
    assert isinstance(one["by_month"], list)
    db.session.refresh(stored)
    assert stored.last_used_at is not None and stored.user_id == coordinator.id


def test_cli_token_errors(runner, create_user):
    assert "no user with the email" in runner.invoke(args=["users", "token", "x@y.se"]).output
    create_user(email="gone@falun.se", active=False)
    result = runner.invoke(args=["users", "token", "gone@falun.se"])
    assert result.exit_code == 1 and "deactivated" in result.output


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer vmr_wrong"}, 401),
        ({"Authorization": "Basic abc"}, 401),
    ],
)
def test_without_valid_credentials_json_401(client, municipalities, headers, status):
    response = client.get("/api/v1/coverage", headers=headers)
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"] == 401


def test_roles_and_admin_scope(client, auth, create_user, falun_story):
    auth.login_as(create_user(role=Role.EMPLOYEE))
    response = client.get("/api/v1/coverage")
    assert response.status_code == 403 and response.get_json()["message"]
    auth.logout()
    auth.login_as(create_user(role=Role.ADMIN))
    body = client.get("/api/v1/coverage").get_json()
    assert len(body["municipalities"]) == 15 and body["totals"]["staff_trained"] == 4
    assert client.get("/api/v1/municipalities/9999/coverage").get_json()["error"] == 404


def test_openapi_document_describes_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert {"/coverage", "/municipalities/{code}/coverage", "/certificates/{code}"} <= set(
        document["paths"]
    )


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_extreme_since_is_a_json_422(client, auth, create_user, municipalities, since):
    auth.login_as(create_user(role=Role.ADMIN))
    response = client.get("/api/v1/xapi/statements", query_string={"since": since})
    assert response.status_code == 422 and response.get_json()["message"] == "since is out of range"


def test_bearer_scheme_is_case_insensitive(runner, client, create_user, municipalities):
    create_user(role=Role.COORDINATOR, email="k@falun.se")
    token = runner.invoke(args=["users", "token", "k@falun.se"]).output.strip()
    assert (
        client.get("/api/v1/coverage", headers={"Authorization": f"bearer {token}"}).status_code
        == 200
    )
