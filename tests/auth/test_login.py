"""Logging in and out: credentials, sessions, redirects, CSRF and rate limits."""

import pytest
from flask import session

from app.auth.models import User, hash_password
from app.core.roles import Role
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.services import seed_municipalities


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<label for="email">' in html and '<label for="password">' in html


def test_login_and_logout(client, auth, create_user):
    user = create_user()
    response = auth.login(user.email)
    assert response.status_code == 302 and response.location == "/"
    assert "Testperson" in client.get("/").get_data(as_text=True)
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/courses/").status_code == 302  # back to login


def test_email_is_case_insensitive(auth, create_user):
    user = create_user(email="anna.berg@falun.se")
    assert auth.login("  Anna.Berg@FALUN.se ").status_code == 302
    assert user.email == "anna.berg@falun.se"


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.se", "rätt-lösenord-123"), ("known@example.se", "fel-lösenord")],
    ids=["wrong-email", "wrong-password"],
)
def test_wrong_email_and_wrong_password_get_the_same_message(auth, create_user, email, password):
    create_user(email="known@example.se")
    response = auth.login(email, password)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Fel e-postadress eller lösenord." in html
    assert "finns inte" not in html


def test_inactive_user_cannot_log_in(auth, create_user):
    user = create_user(active=False)
    assert auth.login(user.email).status_code == 422


def test_user_without_password_cannot_log_in(auth, create_user):
    user = create_user()
    user.password_hash = None
    db.session.commit()
    assert auth.login(user.email, "").status_code == 422


def test_empty_form_gets_field_errors(client):
    response = client.post("/login", data={"email": "", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Fyll i din e-postadress." in html and "Fyll i ditt lösenord." in html
    assert 'aria-invalid="true"' in html


def test_password_is_stored_as_scrypt_hash(create_user):
    user = create_user()
    user.set_password("hemligt")
    assert user.password_hash.startswith("scrypt:")
    assert "hemligt" not in user.password_hash


def test_session_is_renewed_at_login(client, auth, create_user):
    user = create_user()
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    auth.login_as(user)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"] == str(user.id)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/courses/", "/courses/"),
        ("/courses/agent?x=1", "/courses/agent?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_redirects_only_within_the_site(auth, create_user, next_url, expected):
    user = create_user()
    response = auth.login(user.email, next=next_url)
    assert response.status_code == 302
    assert response.location == expected


def test_login_page_carries_next_from_query(client):
    html = client.get("/login?next=/courses/").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/courses/"' in html


def test_logged_in_user_visiting_login_goes_to_start(client, auth, create_user):
    auth.login_as(create_user())
    assert client.get("/login").location == "/"


def test_logout_needs_post(client, auth, create_user):
    auth.login_as(create_user())
    assert client.get("/logout").status_code == 405


@pytest.fixture
def csrf_app(make_app):
    with make_app(WTF_CSRF_ENABLED=True) as app:
        yield app


def test_post_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    user = User(email="a@example.se", name="A", role=Role.ADMIN)
    user.set_password("pw")
    db.session.add(user)
    db.session.commit()
    response = client.post("/login", data={"email": "a@example.se", "password": "pw"})
    assert response.status_code == 400
    assert "säkerhetstoken" in response.get_data(as_text=True)
    with client.session_transaction() as s:
        assert "_user_id" not in s


def test_post_with_csrf_token_is_accepted(csrf_app):
    client = csrf_app.test_client()
    user = User(email="a@example.se", name="A", role=Role.ADMIN)
    user.set_password("pw")
    db.session.add(user)
    db.session.commit()
    client.get("/login")
    with client.session_transaction() as s:
        raw = s["csrf_token"]
    with csrf_app.test_request_context():
        from flask_wtf.csrf import generate_csrf

        session["csrf_token"] = raw
        token = generate_csrf()
    response = client.post(
        "/login", data={"email": "a@example.se", "password": "pw", "csrf_token": token}
    )
    assert response.status_code == 302


def test_login_is_rate_limited(make_app):
    limits = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}
    with make_app(**limits) as app:
        client = app.test_client()
        statuses = [
            client.post("/login", data={"email": "x@example.se", "password": "fel"}).status_code
            for _ in range(4)
        ]
        assert statuses == [422, 422, 422, 429]
        assert "För många försök" in client.post("/login", data={}).get_data(as_text=True)
        assert client.get("/login").status_code == 200, "only attempts are limited"


def test_only_failures_count_and_a_classroom_behind_one_address_signs_in(make_app):
    limits = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}
    with make_app(**limits) as app:
        seed_municipalities()
        falun = db.session.scalar(db.select(Municipality).filter_by(code="2080"))
        colleagues = []
        for number in range(12):
            user = User(email=f"kollega{number}@falun.se", name=f"Kollega {number}",
                        role=Role.EMPLOYEE, municipality_id=falun.id, password_hash=hash_password("rätt-lösenord-123"))  # fmt: skip
            db.session.add(user)
            colleagues.append(user)
        db.session.commit()
        statuses = []
        for user in colleagues:  # the same client address, one after another
            client = app.test_client()
            statuses.append(
                client.post(
                    "/login", data={"email": user.email, "password": "rätt-lösenord-123"}
                ).status_code
            )
        assert statuses == [302] * 12


def test_failed_attempts_on_one_account_are_limited_from_any_address(make_app):
    limits = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "100 per minute",
              "LOGIN_ACCOUNT_LIMIT": "3 per minute"}  # fmt: skip
    with make_app(**limits) as app:
        statuses = []
        for number in range(4):
            client = app.test_client()
            statuses.append(client.post(
                "/login", data={"email": "Utsatt@falun.se", "password": f"gissning{number}"},
                environ_base={"REMOTE_ADDR": f"10.0.0.{number + 1}"},
            ).status_code)  # fmt: skip
        assert statuses == [422, 422, 422, 429]
        other = app.test_client().post("/login", data={"email": "annan@falun.se", "password": "x"})
        assert other.status_code == 422, "other accounts are not locked out"
