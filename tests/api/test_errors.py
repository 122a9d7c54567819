"""The API's edges: every error in the documented JSON schema, parameters checked against the
OpenAPI document, bearer tokens whatever the cookies, expiry and read-only scope."""

from datetime import timedelta

import pytest
from flask import jsonify

from app.api import xapi
from app.api.openapi import OPENAPI
from app.auth.tokens import ApiToken, TokenScope
from app.core.roles import Role
from app.core.time import utcnow
from app.extensions import db
from tests.support.quizzes import pass_quiz, write_quiz_course


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response, status: int) -> dict:
    """The response is the documented Error schema with this status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == set(OPENAPI["components"]["schemas"]["Error"]["required"])
    assert body["error"] == status and isinstance(body["message"], str) and body["message"]
    return body


@pytest.fixture
def token_for(runner, create_user):
    """Factory: token_for(role, *options) -> a new token from `flask users token`."""
    counter = iter(range(1, 1000))

    def make(role=Role.COORDINATOR, *options: str) -> str:
        email = f"token{next(counter)}@falun.se"
        create_user(role=role, email=email)
        result = runner.invoke(args=["users", "token", email, *options])
        assert result.exit_code == 0, result.output
        return result.output.strip()

    return make


# --- Errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/nope", "/api/v1/municipalities/2080/nope", "/api/v2/coverage", "/api/"]
)
def test_unknown_paths_are_json_404(client, url):
    assert_error(client.get(url), 404)


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_wrong_method_is_json_405_with_allow(client, method):
    response = getattr(client, method)("/api/v1/coverage")
    assert_error(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


def test_rate_limit_is_json_429_and_shared_with_the_verification_page(make_app):
    with make_app(RATELIMIT_ENABLED=True) as app:
        client = app.test_client()
        for _ in range(15):
            assert client.get("/verify/ABCDEFGHJKLM").status_code == 404
        statuses = [client.get("/api/v1/certificates/ABCDEFGHJKLM").status_code for _ in range(16)]
        assert statuses == [404] * 15 + [429], "one budget across the page and the API"
        response = client.get("/api/v1/certificates/ABCDEFGHJKLM")
        assert_error(response, 429)
        assert int(response.headers["Retry-After"]) > 0


def test_nul_byte_is_json_400(client):
    assert_error(client.get("/api/v1/certificates/ABC?x=%00"), 400)


@pytest.mark.own_app
def test_unexpected_error_is_json_500(app, client):
    app.add_url_rule("/api/v1/boom", endpoint="api.boom", view_func=lambda: 1 / 0)
    body = assert_error(client.get("/api/v1/boom"), 500)
    assert "division" not in body["message"]


def test_401_asks_for_a_bearer_token(client, municipalities):
    response = client.get("/api/v1/coverage")
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --- Parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "since=",
        "since=igår",
        "since=2026-13-01T00:00:00Z",
        "since=0001-01-01T00:00:00%2B05:00",
        "page=",
        "page=abc",
        "page=-1",
        "page=1.5",
        "page=1e3",
        f"page={xapi.MAX_PAGE + 1}",
        "page=99999999999999999999",
        "page=999999999999999999999999999999999999999999",
    ],
)
def test_parameters_outside_their_schema_are_json_422(
    client, auth, create_user, municipalities, query
):
    auth.login_as(create_user(role=Role.ADMIN))
    assert_error(client.get(f"/api/v1/xapi/statements?{query}"), 422)


@pytest.mark.parametrize(
    "query",
    [
        "since=2026-01-31T00:00:00Z",
        "since=2026-01-31t00:00:00z",
        "since=2026-01-31T10:00:00.123456789%2B01:00",
        "since=2016-12-31T23:59:60Z",
        "since=2026-01-31",
        "page=0",
        f"page={xapi.MAX_PAGE}",
        "unknown=ignored",
    ],
)
def test_parameters_within_their_schema_are_accepted(
    client, auth, create_user, municipalities, query
):
    auth.login_as(create_user(role=Role.ADMIN))
    response = client.get(f"/api/v1/xapi/statements?{query}")
    assert response.status_code == 200 and response.get_json()["statements"] == []


def test_the_page_maximum_is_documented():
    (page,) = [
        p for p in OPENAPI["paths"]["/xapi/statements"]["get"]["parameters"] if p["name"] == "page"
    ]
    assert page["schema"]["minimum"] == 0 and page["schema"]["maximum"] == xapi.MAX_PAGE
    responses = OPENAPI["paths"]["/xapi/statements"]["get"]["responses"]
    assert "422" in responses


def test_past_the_deepest_page_more_moves_since_forward(
    monkeypatch, client, auth, create_user, app, tmp_path
):
    from app.courses.content import Quiz
    from app.courses.services import sync_courses

    monkeypatch.setattr(xapi, "PAGE_SIZE", 2)
    monkeypatch.setattr(xapi, "MAX_PAGE", 1)
    sync_courses(write_quiz_course(tmp_path / "c", max_attempts=10))
    quiz = db.session.scalar(db.select(Quiz))
    learner = create_user()
    for _ in range(7):
        pass_quiz(learner, quiz, right=False)
    auth.login_as(create_user(role=Role.ADMIN))
    ids, url, pages = [], "/api/v1/xapi/statements", 0
    while url and pages < 10:
        body = client.get(url).get_json()
        ids += [s["id"] for s in body["statements"]]
        url, pages = body["more"], pages + 1
    assert not url, "paging ends"
    assert len(set(ids)) == 7, "nothing is skipped (a boundary statement may come twice)"


# --- Tokens ---------------------------------------------------------------------------------


def test_a_bearer_token_decides_whatever_cookie_comes_along(
    client, auth, create_user, token_for, falun_story
):
    auth.login_as(create_user(role=Role.EMPLOYEE))
    assert client.get("/api/v1/coverage").status_code == 403, "the cookie alone: an employee"
    token = token_for(Role.COORDINATOR)
    response = client.get("/api/v1/coverage", headers=bearer(token))
    assert response.status_code == 200
    assert [m["code"] for m in response.get_json()["municipalities"]] == ["2080"]
    # A different client fingerprint fails the session's "strong" protection: still the token.
    other_agent = {**bearer(token), "User-Agent": "LRS/2.0"}
    assert client.get("/api/v1/coverage", headers=other_agent).status_code == 200
    assert client.get("/api/v1/coverage").status_code == 403, "the session itself is untouched"


def test_a_bad_bearer_token_is_401_even_with_a_good_cookie(
    client, auth, create_user, municipalities
):
    auth.login_as(create_user(role=Role.ADMIN))
    assert_error(client.get("/api/v1/coverage", headers=bearer("vmr_wrong")), 401)


def test_an_expired_token_is_401(client, token_for, municipalities):
    token = token_for(Role.COORDINATOR, "--days", "30")
    row = db.session.scalar(db.select(ApiToken))
    assert timedelta(days=29) < row.expires_at - utcnow() <= timedelta(days=30)
    assert client.get("/api/v1/coverage", headers=bearer(token)).status_code == 200
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    body = assert_error(client.get("/api/v1/coverage", headers=bearer(token)), 401)
    assert "expired" in body["message"]


def test_tokens_without_days_do_not_expire_and_may_write(token_for, municipalities):
    token_for(Role.COORDINATOR)
    row = db.session.scalar(db.select(ApiToken))
    assert row.expires_at is None and row.scope == TokenScope.WRITE


@pytest.mark.parametrize("days", ["0", "-1", "abc", "3651"])
def test_token_days_must_be_sensible(runner, create_user, days):
    create_user(email="k@falun.se")
    result = runner.invoke(args=["users", "token", "k@falun.se", "--days", days])
    assert result.exit_code != 0 and "--days" in result.output
    assert db.session.scalar(db.select(ApiToken)) is None


@pytest.mark.own_app
def test_a_read_only_token_reads_but_never_writes(app, client, token_for, municipalities):
    def change():
        return jsonify(changed=True)

    # No endpoint writes yet: a future POST under the API gets the rule from the blueprint.
    app.add_url_rule("/api/v1/probe", endpoint="api.probe", view_func=change, methods=["POST"])
    read_only = token_for(Role.COORDINATOR, "--read-only")
    assert db.session.scalar(db.select(ApiToken)).scope == TokenScope.READ
    assert client.get("/api/v1/coverage", headers=bearer(read_only)).status_code == 200
    body = assert_error(client.post("/api/v1/probe", headers=bearer(read_only)), 403)
    assert "only read" in body["message"]
    writer = token_for(Role.COORDINATOR)
    assert client.post("/api/v1/probe", headers=bearer(writer)).get_json() == {"changed": True}
