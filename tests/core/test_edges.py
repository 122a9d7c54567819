"""Hardened edges: trusted hosts and the public address, query arguments, cache and transport
headers, check-in guessing, and invisible characters in names and titles."""

import io
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from pypdf import PdfReader
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from app import create_app
from app.auth.forms import ProfileForm
from app.config import HSTS, ProductionConfig
from app.core import qr as qr_module
from app.core.roles import Role
from app.core.validation import HIDDEN_CHARACTERS_MESSAGE, has_hidden_characters
from app.extensions import db
from app.municipalities import roster
from app.municipalities.forms import NewPersonForm, PersonForm
from app.training.forms import ReopenForm, SessionForm
from app.training.services import create_session
from tests.support import PASSWORD
from tests.support.training import certify_agent, details, move

PUBLIC = "https://utbildning.example.se"
HIDDEN = str(HIDDEN_CHARACTERS_MESSAGE)


class ProductionTestConfig(ProductionConfig):
    """Production behaviour, without the repository's instance/config.py."""

    TESTING = True
    SECRET_KEY = "production-test-secret"  # noqa: S105 - tests only
    RATELIMIT_ENABLED = False


@pytest.fixture
def clean_environment(monkeypatch):
    for key in ("PUBLIC_BASE_URL", "TRUSTED_HOSTS", "SECRET_KEY", "APP_ENV"):
        monkeypatch.delenv(key, raising=False)


@contextmanager
def production_app(make_app, **overrides):
    """The app as APP_ENV=production builds it, on empty tables."""
    with make_app(ProductionTestConfig, PUBLIC_BASE_URL=PUBLIC, **overrides) as app:
        yield app


# --- Production configuration ---------------------------------------------------------------


def test_production_refuses_to_start_without_public_base_url(clean_environment):
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL is not set"):
        create_app(ProductionTestConfig, {"DATABASE_URL": "sqlite://"})


@pytest.mark.parametrize(
    "base", ["utbildning.example.se", "ftp://utbildning.example.se", "https://"]
)
def test_a_public_base_url_must_be_an_absolute_web_address(clean_environment, base):
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL must be an absolute address"):
        create_app(ProductionTestConfig, {"DATABASE_URL": "sqlite://", "PUBLIC_BASE_URL": base})


def test_app_env_production_selects_production(clean_environment, monkeypatch):
    from app.config import config_from_environment

    monkeypatch.setenv("APP_ENV", "production")
    assert config_from_environment() is ProductionConfig
    monkeypatch.setenv("APP_ENV", "development")
    assert config_from_environment() is not ProductionConfig


def test_trusted_hosts_default_to_the_public_address_in_production(clean_environment):
    app = create_app(ProductionTestConfig, {"DATABASE_URL": "sqlite://", "PUBLIC_BASE_URL": PUBLIC})
    assert app.config["TRUSTED_HOSTS"] == ["utbildning.example.se"]


def test_trusted_hosts_come_comma_separated_from_the_environment(clean_environment, monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "utbildning.example.se, intern.example.se ,")
    app = create_app(ProductionTestConfig, {"DATABASE_URL": "sqlite://", "PUBLIC_BASE_URL": PUBLIC})
    assert app.config["TRUSTED_HOSTS"] == ["utbildning.example.se", "intern.example.se"]


def test_development_trusts_any_host(app):
    assert app.config["TRUSTED_HOSTS"] is None


# --- Host header ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/login", "/verify/ABCDEFGHJKLM", "/certificates/1.pdf"])
def test_an_untrusted_host_gets_400_in_production(clean_environment, make_app, url):
    with production_app(make_app) as app:
        client = app.test_client()
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code == 400
        assert "evil.example" not in response.get_data(as_text=True)
        assert client.get("/", headers={"Host": "utbildning.example.se"}).status_code == 200


def test_an_untrusted_host_gets_json_400_from_the_api(clean_environment, make_app):
    with production_app(make_app) as app:
        response = app.test_client().get("/api/v1/coverage", headers={"Host": "evil.example"})
        assert response.status_code == 400 and response.get_json()["error"] == 400


def test_a_forwarded_host_is_checked_too(clean_environment, make_app):
    with production_app(make_app, TRUSTED_PROXIES=1) as app:
        response = app.test_client().get(
            "/", headers={"Host": "utbildning.example.se", "X-Forwarded-Host": "evil.example"}
        )
        assert response.status_code == 400


def test_certificate_qr_code_and_xapi_name_the_public_address_whatever_the_host(
    app, client, create_user, falun_story, monkeypatch
):
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    agent = create_user(role=Role.AGENT, name="Agnes Agent")
    certificate = certify_agent(agent)
    targets = []
    real_widget = qr_module.QrCodeWidget
    monkeypatch.setattr(
        qr_module,
        "QrCodeWidget",
        lambda value, **kw: targets.append(value) or real_widget(value, **kw),
    )
    evil = "http://evil.example"  # development trusts any host: the links must not follow it
    login = {"email": agent.email, "password": PASSWORD}
    assert client.post("/login", data=login, base_url=evil).status_code == 302
    response = client.get(f"/certificates/{certificate.id}.pdf", base_url=evil)
    assert response.status_code == 200
    assert targets == [f"{PUBLIC}/verify/{certificate.code}"]
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "evil.example" not in text
    client.post("/logout", base_url=evil)
    admin = create_user(role=Role.ADMIN)
    client.post("/login", data={"email": admin.email, "password": PASSWORD}, base_url=evil)
    response = client.get("/api/v1/xapi/statements", base_url=evil)
    statements = response.get_json()["statements"]
    assert statements and all(s["object"]["id"].startswith(PUBLIC + "/") for s in statements)


# --- Query arguments ------------------------------------------------------------------------

BAD_ARGUMENTS = [
    "after=99999999999999999999",
    "endpoint=x",
    "_method=POST",
    "_external=1&_scheme=javascript",
]


@pytest.mark.parametrize("query", BAD_ARGUMENTS)
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/certificates/"), ("POST", "/certificates/print-pack"),
     ("POST", "/certificates/list.csv")],
)  # fmt: skip
def test_query_arguments_never_reach_url_for(
    client, auth, create_user, municipalities, method, path, query
):
    auth.login_as(create_user(role=Role.COORDINATOR))
    url = f"{path}?{query}&issued_from=2026-06-01&issued_to=2026-01-01"
    response = client.open(url, method=method)
    assert response.status_code < 500
    if response.status_code == 302:
        assert response.location == "/certificates/?issued_from=2026-06-01&issued_to=2026-01-01"


@pytest.mark.parametrize(
    "after", ["x", "WyJhIl0", "W3sidCI6IjIwMjYtMDEtMDEifSwxXQ", "WzEsMl0", "W3t9LDFd"]
)  # not base64 JSON; a string; a time without zone; numbers for a time; an object
def test_a_cursor_that_is_not_the_lists_is_a_400(client, auth, create_user, municipalities, after):
    auth.login_as(create_user(role=Role.COORDINATOR))
    assert client.get(f"/certificates/?after={after}").status_code == 400


def test_filters_survive_in_the_links_without_foreign_arguments(
    client, auth, create_user, municipalities
):
    certify_agent(create_user(role=Role.AGENT))
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = client.get("/certificates/?issued_from=2000-01-01&endpoint=x&_anchor=y")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'action="/certificates/print-pack?issued_from=2000-01-01"' in html
    assert 'formaction="/certificates/list.csv?issued_from=2000-01-01"' in html


# --- Headers --------------------------------------------------------------------------------


def test_everything_answered_to_someone_signed_in_is_no_store(
    app, client, auth, create_user, municipalities
):
    agent = create_user(role=Role.AGENT)
    certificate = certify_agent(agent)
    auth.login_as(agent)
    for url, status in [
        ("/", 200),
        ("/certificates/mine", 200),
        ("/no-such-page", 404),
        (f"/certificates/{certificate.id}.pdf", 200),
        ("/api/v1/coverage", 403),
        ("/verify/ABCDEFGHJKLM", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_api_with_a_bearer_token_is_no_store(runner, client, create_user, municipalities):
    create_user(role=Role.COORDINATOR, email="k@falun.se")
    token = runner.invoke(args=["users", "token", "k@falun.se"]).output.strip()
    response = client.get("/api/v1/coverage", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_public_pages_and_static_files_may_be_cached(client, auth, create_user, municipalities):
    for url in ("/login", "/accessibility", "/no-such-page"):
        assert "no-store" not in client.get(url).headers.get("Cache-Control", ""), url
    auth.login_as(create_user())
    with client.get("/static/css/site.css") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_hsts_in_production_only(clean_environment, make_app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    with production_app(make_app) as app:
        production = app.test_client()
        for url in ("/", "/no-such-page", "/api/v1/nope"):
            response = production.get(url, headers={"Host": "utbildning.example.se"})
            assert response.headers["Strict-Transport-Security"] == HSTS, url
    assert HSTS == "max-age=31536000; includeSubDomains"


def test_405_pages_say_what_is_allowed(client):
    response = client.post("/accessibility")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


# --- Check-in -------------------------------------------------------------------------------


def test_unknown_and_closed_codes_get_the_same_message(client, auth, create_user, certified_agent):
    later = create_session(certified_agent, details(start_in=timedelta(days=2)))
    cancelled = move(create_session(certified_agent, details()), -timedelta(minutes=5))
    cancelled.cancelled_at = cancelled.starts_at
    db.session.commit()
    auth.login_as(create_user())
    pages = {}
    for code in ("ZZZZZZ", later.check_in_code, cancelled.check_in_code):
        response = client.post("/checkin", data={"code": code})
        assert response.status_code == 422
        # What the page says about the code: its error summary and field error (the rest of
        # the page, e.g. the code echoed back, may differ by chance, not by meaning).
        html = response.get_data(as_text=True)
        pages[code] = re.findall(r'class="(?:field-error|error-summary)"[^>]*>(.*?)</', html, re.S)
    assert "Koden gäller inte just nu" in " ".join(pages["ZZZZZZ"])
    assert len({tuple(said) for said in pages.values()}) == 1, (
        "an unknown code cannot be told from a real one"
    )


def _limited_app(make_app, **limits):
    return make_app(RATELIMIT_ENABLED=True, **limits)


def _user(email: str, role: str = Role.EMPLOYEE):
    from app.auth.models import User, hash_password
    from app.municipalities.models import Municipality

    falun = db.session.scalar(db.select(Municipality).filter_by(code="2080"))
    user = User(email=email, name=email.split("@")[0], role=role, municipality_id=falun.id,
                password_hash=hash_password("rätt-lösenord-123"))  # fmt: skip
    db.session.add(user)
    db.session.commit()
    return user


def _login(app, user, address="10.0.0.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = client.post("/login", data={"email": user.email, "password": "rätt-lösenord-123"})
    assert response.status_code == 302
    return client


def test_failed_check_ins_are_limited_per_person(make_app):
    from app.municipalities.services import seed_municipalities

    limits = {"CHECK_IN_PERSON_LIMIT": "3 per minute", "CHECK_IN_ADDRESS_LIMIT": "100 per minute"}
    with _limited_app(make_app, **limits) as app:
        seed_municipalities()
        guesser = _user("gissare@falun.se")
        statuses = []
        for number in range(4):  # the same person from four addresses
            client = _login(app, guesser, f"10.0.1.{number}")
            statuses.append(client.post("/checkin", data={"code": f"AAAAA{number}"}).status_code)
        assert statuses == [422, 422, 422, 429]
        other = _login(app, _user("annan@falun.se"), "10.0.1.0")
        assert other.post("/checkin", data={"code": "BBBBBB"}).status_code == 422
        assert other.get("/checkin").status_code == 200


def test_failed_check_ins_are_limited_per_address_and_successes_do_not_count(make_app):
    from app.municipalities.services import seed_municipalities

    limits = {"CHECK_IN_PERSON_LIMIT": "100 per minute", "CHECK_IN_ADDRESS_LIMIT": "3 per minute"}
    with _limited_app(make_app, **limits) as app:
        seed_municipalities()
        agent = _user("agent@falun.se", Role.AGENT)
        certify_agent(agent)
        session = move(create_session(agent, details()), -timedelta(minutes=5))
        classroom = [_user(f"kollega{number}@falun.se") for number in range(5)]
        successes = [
            _login(app, person).post("/checkin", data={"code": session.check_in_code}).status_code
            for person in classroom
        ]
        assert successes == [302] * 5, "a classroom behind one address checks in"
        statuses = [
            _login(app, person).post("/checkin", data={"code": "ZZZZZZ"}).status_code
            for person in classroom[:4]
        ]
        assert statuses == [422, 422, 422, 429]


# --- Invisible characters -------------------------------------------------------------------

INVISIBLE = {
    "right-to-left override": "Anna\u202eBerg",
    "left-to-right mark": "Anna\u200eBerg",
    "first strong isolate": "\u2068Anna Berg\u2069",
    "zero-width space": "Anna\u200bBerg",
    "zero-width joiner": "An\u200dna",
    "soft hyphen": "An\u00adna",
    "line separator": "Anna\u2028Berg",
    "tab": "Anna\tBerg",
    "escape": "Anna\x1bBerg",
}


@pytest.mark.parametrize("text", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_hidden_characters_are_recognised(text):
    assert has_hidden_characters(text)


@pytest.mark.parametrize(
    "text", ["Åsa Öberg-Nguyễn", "Łukasz Ärlig", "Zoë O'Brien", "محمد", "李雷"]
)
def test_visible_names_in_any_script_pass(text):
    assert not has_hidden_characters(text)


def test_multi_line_text_keeps_its_line_breaks_only():
    assert not has_hidden_characters("Ta med:\r\n\t- laddare", multiline=True)
    assert has_hidden_characters("Ta med:\n\u202elaptop", multiline=True)


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (ProfileForm, "name"),
        (PersonForm, "name"),
        (PersonForm, "unit"),
        (NewPersonForm, "name"),
        (SessionForm, "title"),
        (SessionForm, "place"),
        (SessionForm, "notes"),
        (ReopenForm, "reason"),
    ],
)
def test_forms_refuse_bidi_and_format_characters(app, form_class, field):
    for text, refused in (("Anna\u202eBerg", True), ("Anna \u2066gnebrA\u2069", True),
                          ("Åsa Öberg-Nguyễn", False)):  # fmt: skip
        with app.test_request_context(method="POST"):
            form = form_class(formdata=MultiDict({field: text}))
            for other in form:  # the choices the pages fill in; not what is checked here
                if isinstance(other, SelectField) and other.choices is None:
                    other.choices = []
            form.validate()
            assert (HIDDEN in form[field].errors) == refused, (field, text)


def test_profile_page_refuses_an_override_character(client, auth, create_user):
    user = create_user(name="Anna Berg")
    auth.login_as(user)
    response = client.post("/account/profile", data={"name": "Anna\u202egreB", "locale": "sv"})
    assert response.status_code == 422 and "osynliga styrtecken" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.name == "Anna Berg"


def test_roster_rows_with_hidden_characters_are_rejected(municipalities):
    data = "email;name;role\na@falun.se;Anna\u202eBerg;employee\nb@falun.se;Bo Ek;employee\n"
    report = roster.preview(data.encode(), municipalities["2080"], any_municipality=True)
    assert [row.status for row in report.rows] == ["rejected", "created"]
    assert "osynliga styrtecken" in str(report.rows[0].reason)


@pytest.mark.parametrize("argument", ["endpoint=x", "_method=POST", "code=x", "_external=1"])
def test_the_people_list_ignores_arguments_it_does_not_know(client, auth, create_user, argument):
    coordinator = create_user(role=Role.COORDINATOR)
    for _ in range(51):  # more than a page, so the page links are built
        create_user()
    auth.login_as(coordinator)
    response = client.get(f"/municipalities/2080?{argument}")
    assert response.status_code == 200
    assert "after=" in response.get_data(as_text=True)
