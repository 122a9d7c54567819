"""Signing in with the municipality's own account, against a real OpenID Connect provider that the
test starts on 127.0.0.1 (oidc-provider-mock): success, every refusal, provider errors."""

import socket
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from app.auth.models import User
from app.core.audit import AuditAction, AuditEntry
from app.core.roles import Role
from app.extensions import db
from app.municipalities.models import Municipality
from app.sso.models import SsoProvider
from app.sso.services import add_provider
from tests.support.oidc import (
    TIMEOUT,
    ignore_mock_deprecation,
    running_provider,
    set_person,
)

pytestmark = ignore_mock_deprecation

CLIENT_ID = "vi-mots-resfritt"


@pytest.fixture(scope="module")
def issuer():
    """A real OpenID Connect provider on this machine, for the tests of this module."""
    with running_provider() as issuer:
        yield issuer


@pytest.fixture
def falun_provider(municipalities, issuer) -> SsoProvider:
    """Falun's provider, answering for falun.se; people missing from the roster are refused."""
    return add_provider("2080", issuer, CLIENT_ID, "hemlig-nyckel", ["falun.se"])


class Provider:
    """The person's side of the round trip: our form, the provider's page, back to us."""

    def __init__(self, client, issuer: str):
        self._client = client
        self._issuer = issuer

    def set_person(self, sub: str, **claims) -> None:
        """What the provider will say about the person `sub`."""
        set_person(self._issuer, sub, **claims)

    def start(self, email: str, next: str = ""):
        """Submit our email form; the answer should send the browser to the provider."""
        data = {"email": email, **({"next": next} if next else {})}
        return self._client.post("/login/sso", data=data)

    def authorize(self, email: str, sub: str, next: str = "", deny: bool = False) -> str:
        """Our form, then the provider's page; the address it sends the browser back to."""
        response = self.start(email, next)
        assert response.status_code == 302, response.get_data(as_text=True)
        authorize_url = response.location
        assert authorize_url.startswith(self._issuer)
        page = requests.get(authorize_url, timeout=TIMEOUT)
        assert page.status_code == 200, page.text
        form = {"action": "deny"} if deny else {"sub": sub}
        answer = requests.post(authorize_url, data=form, allow_redirects=False, timeout=TIMEOUT)
        assert answer.status_code == 302, answer.text
        back = urlsplit(answer.headers["Location"])
        assert back.path == "/login/sso/callback"
        return f"{back.path}?{back.query}"

    def sign_in(self, email: str, sub: str, next: str = "", deny: bool = False):
        """The whole round trip; the answer of our callback."""
        return self._client.get(self.authorize(email, sub, next, deny))


@pytest.fixture
def provider(client, issuer) -> Provider:
    return Provider(client, issuer)


def signed_in_user_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_roster_person_signs_in_and_lands_on_start(client, provider, falun_provider, create_user):
    anna = create_user(email="anna.berg@falun.se", name="Anna Berg")
    anna.password_hash = None  # an account from the roster, never given a password
    db.session.commit()
    provider.set_person("anna-sub", email="Anna.Berg@Falun.se", email_verified=True)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = provider.sign_in("anna.berg@falun.se", "anna-sub")
    assert response.status_code == 302 and response.location == "/"
    assert signed_in_user_id(client) == str(anna.id)
    with client.session_transaction() as session:
        assert "planted" not in session, "a fresh session at sign-in"
        assert not [key for key in session if key.startswith("sso") or "_state_" in key]
    assert "Anna Berg" in client.get("/").get_data(as_text=True)


def test_the_provider_gets_the_email_as_login_hint_and_pkce(provider, falun_provider):
    response = provider.start("Anna.Berg@Falun.se")
    query = parse_qs(urlsplit(response.location).query)
    assert query["login_hint"] == ["anna.berg@falun.se"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == ["openid email profile"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] and query["state"]
    assert query["redirect_uri"] == ["http://localhost/login/sso/callback"]


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/courses/", "/courses/"), ("https://evil.example/", "/"), ("//evil.example/", "/")],
)
def test_next_is_kept_within_the_site(provider, falun_provider, create_user, next_url, expected):
    create_user(email="anna.berg@falun.se")
    provider.set_person("anna-sub", email="anna.berg@falun.se", email_verified=True)
    response = provider.sign_in("anna.berg@falun.se", "anna-sub", next=next_url)
    assert response.status_code == 302 and response.location == expected


def test_a_person_may_have_both_a_password_and_the_municipal_account(
    client, provider, falun_provider, create_user, auth
):
    anna = create_user(email="anna.berg@falun.se")
    provider.set_person("anna-sub", email="anna.berg@falun.se", email_verified=True)
    assert provider.sign_in("anna.berg@falun.se", "anna-sub").status_code == 302
    auth.logout()
    auth.login_as(anna)
    assert signed_in_user_id(client) == str(anna.id)


def failure(response, status: int, heading: str) -> str:
    """The failure page's text, after checking its status and heading."""
    html = response.get_data(as_text=True)
    assert response.status_code == status, html
    assert f"<h1>{heading}</h1>" in html
    assert "Logga in med e-postadress och lösenord" in html
    return html


def test_no_roster_row_is_refused(client, provider, falun_provider, caplog):
    provider.set_person("okand", email="okand@falun.se", email_verified=True, name="Okänd")
    with caplog.at_level("INFO", logger="app.sso"):
        response = provider.sign_in("okand@falun.se", "okand")
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("app.sso")]
    assert logged == [
        "Refused a sign-in through the provider of 2080: not_on_roster okand@falun.se"
    ]
    html = failure(response, 403, "Du finns inte i kommunens personallista")
    assert "kommunkoordinator" in html
    assert signed_in_user_id(client) is None
    assert db.session.scalar(db.select(User).filter_by(email="okand@falun.se")) is None


def test_a_person_of_another_municipality_is_refused(client, provider, falun_provider, create_user):
    create_user(email="per@falun.se", municipality_code="2062")  # on Mora's roster
    provider.set_person("per", email="per@falun.se", email_verified=True)
    failure(provider.sign_in("per@falun.se", "per"), 403, "Ditt konto hör till en annan kommun")
    assert signed_in_user_id(client) is None


def test_an_admin_is_not_signed_in_by_a_municipal_provider(
    client, provider, falun_provider, create_user
):
    create_user(Role.ADMIN, email="kansliet@falun.se")
    provider.set_person("po", email="kansliet@falun.se", email_verified=True)
    failure(provider.sign_in("kansliet@falun.se", "po"), 403, "Ditt konto hör till en annan kommun")
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    "claims",
    [{"email_verified": False}, {}, {"email_verified": "no"}],
    ids=["false", "missing", "not-a-yes"],
)
def test_an_unverified_email_is_refused(client, provider, falun_provider, create_user, claims):
    create_user(email="anna.berg@falun.se")
    provider.set_person("anna-sub", email="anna.berg@falun.se", **claims)
    response = provider.sign_in("anna.berg@falun.se", "anna-sub")
    failure(response, 403, "E-postadressen är inte bekräftad")
    assert signed_in_user_id(client) is None


def test_a_directory_trusted_for_its_domains_needs_no_email_verified_claim(
    client, provider, falun_provider, create_user
):
    falun_provider.trusts_domain_emails = True  # e.g. Microsoft Entra ID
    db.session.commit()
    person = create_user(email="anna.berg@falun.se")
    provider.set_person("anna-sub", email="anna.berg@falun.se")  # no email_verified at all
    assert provider.sign_in("anna.berg@falun.se", "anna-sub").status_code == 302
    assert signed_in_user_id(client) == str(person.id)


def test_a_deactivated_account_is_refused(client, provider, falun_provider, create_user):
    create_user(email="anna.berg@falun.se", active=False)
    provider.set_person("anna-sub", email="anna.berg@falun.se", email_verified=True)
    failure(provider.sign_in("anna.berg@falun.se", "anna-sub"), 403, "Ditt konto är avstängt")
    assert signed_in_user_id(client) is None


def test_the_provider_cannot_vouch_for_another_domain(
    client, provider, falun_provider, create_user
):
    create_user(email="eva@mora.se")  # on Falun's roster, but not a Falun address
    provider.set_person("eva", email="eva@mora.se", email_verified=True)
    response = provider.sign_in("anna.berg@falun.se", "eva")
    failure(response, 403, "E-postadressen hör inte till kommunen")
    assert signed_in_user_id(client) is None


def test_no_email_claim_is_refused(client, provider, falun_provider):
    provider.set_person("utan-adress", name="Utan Adress")
    response = provider.sign_in("anna.berg@falun.se", "utan-adress")
    failure(response, 403, "Kontot saknar e-postadress")


def test_create_unknown_makes_an_employee_of_the_municipality(
    client, provider, municipalities, issuer
):
    add_provider("2080", issuer, CLIENT_ID, "hemlig", ["falun.se"], create_unknown=True)
    provider.set_person("ny", email="ny.person@falun.se", email_verified=True, name="Ny Person")
    response = provider.sign_in("ny.person@falun.se", "ny")
    assert response.status_code == 302 and response.location == "/"
    user = db.session.scalar(db.select(User).filter_by(email="ny.person@falun.se"))
    assert (user.name, user.role, user.municipality.code) == ("Ny Person", "employee", "2080")
    assert user.password_hash is None
    assert signed_in_user_id(client) == str(user.id)
    # the one way to add a person: audited, and Falun's staff target follows its roster
    entry = db.session.scalar(db.select(AuditEntry).filter_by(subject_id=user.id))
    assert (entry.action, entry.actor_id) == (AuditAction.PERSON_CREATED, None)
    db.session.expire_all()
    assert db.session.get(Municipality, user.municipality_id).staff_target == 1


def test_create_unknown_names_the_person_after_the_email_without_a_name_claim(
    provider, municipalities, issuer
):
    add_provider("2080", issuer, CLIENT_ID, "hemlig", ["falun.se"], create_unknown=True)
    provider.set_person("ny", email="ny.person@falun.se", email_verified=True)
    assert provider.sign_in("ny.person@falun.se", "ny").status_code == 302
    user = db.session.scalar(db.select(User).filter_by(email="ny.person@falun.se"))
    assert user.name == "ny.person"


def test_create_unknown_still_refuses_another_municipality(
    client, provider, municipalities, issuer, create_user
):
    add_provider("2080", issuer, CLIENT_ID, "hemlig", ["falun.se"], create_unknown=True)
    create_user(email="per@falun.se", municipality_code="2062")
    provider.set_person("per", email="per@falun.se", email_verified=True)
    failure(provider.sign_in("per@falun.se", "per"), 403, "Ditt konto hör till en annan kommun")


def test_a_denied_sign_in_gets_a_clear_page(client, provider, falun_provider):
    response = provider.sign_in("anna.berg@falun.se", "", deny=True)
    html = failure(response, 400, "Inloggningen avbröts")
    assert "Försök igen" in html
    assert signed_in_user_id(client) is None
    with client.session_transaction() as session:
        assert not [key for key in session if "_state_" in key], "nothing of the attempt kept"


@pytest.mark.parametrize(
    ("error", "heading"),
    [
        ("access_denied", "Inloggningen avbröts"),
        ("server_error", "Kommunens inloggning svarade med ett fel"),
        ("login_required", "Kommunens inloggning svarade med ett fel"),
    ],
)
def test_any_provider_error_gets_a_clear_page(client, provider, falun_provider, error, heading):
    response = provider.start("anna.berg@falun.se")
    state = parse_qs(urlsplit(response.location).query)["state"][0]
    response = client.get(f"/login/sso/callback?error={error}&state={state}")
    failure(response, 400, heading)


def test_a_forged_state_is_refused(client, provider, falun_provider, create_user):
    create_user(email="anna.berg@falun.se")
    provider.start("anna.berg@falun.se")
    response = client.get("/login/sso/callback?code=stolen&state=forged")
    failure(response, 400, "Inloggningen har gått ut")
    assert signed_in_user_id(client) is None


def test_a_callback_without_a_sign_in_under_way_is_refused(client, falun_provider):
    response = client.get("/login/sso/callback?code=x&state=y")
    failure(response, 400, "Inloggningen har gått ut")


def test_a_callback_replayed_signs_in_only_once(client, provider, falun_provider, create_user, app):
    create_user(email="anna.berg@falun.se")
    provider.set_person("anna-sub", email="anna.berg@falun.se", email_verified=True)
    callback = provider.authorize("anna.berg@falun.se", "anna-sub")
    assert client.get(callback).status_code == 302
    client.post("/logout")
    failure(client.get(callback), 400, "Inloggningen har gått ut")
    failure(app.test_client().get(callback), 400, "Inloggningen har gått ut")
    assert signed_in_user_id(client) is None


def test_a_provider_gone_during_the_round_trip_gets_a_clear_page(
    client, municipalities, create_user
):
    create_user(email="anna.berg@falun.se")
    with running_provider() as issuer:
        add_provider("2080", issuer, CLIENT_ID, "hemlig", ["falun.se"])
        going = Provider(client, issuer)
        going.set_person("anna-sub", email="anna.berg@falun.se", email_verified=True)
        callback = going.authorize("anna.berg@falun.se", "anna-sub")
    failure(client.get(callback), 400, "Vi når inte kommunens inloggning")
    assert signed_in_user_id(client) is None


def free_port() -> int:
    """A port on this machine where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_provider_gets_a_clear_page(client, municipalities):
    add_provider("2080", f"http://127.0.0.1:{free_port()}", CLIENT_ID, "x", ["falun.se"])
    response = client.post("/login/sso", data={"email": "anna.berg@falun.se"})
    failure(response, 400, "Vi når inte kommunens inloggning")


def test_the_email_form_renders(client):
    response = client.get("/login/sso?next=/courses/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Logga in med kommunens konto</h1>" in html
    assert '<label for="email">' in html
    assert 'name="next" type="hidden" value="/courses/"' in html


def test_an_unknown_domain_gets_a_field_error(client, falun_provider):
    response = client.post("/login/sso", data={"email": "anna@gmail.com"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Din kommun har ingen inloggning med kommunens konto här." in html
    assert "e-postadress och lösenord" in html and "kommunkoordinator" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Fyll i din e-postadress."), ("falun.se", "Skriv hela e-postadressen")],
    ids=["empty", "no-at"],
)
def test_a_bad_email_gets_a_field_error(client, falun_provider, email, message):
    response = client.post("/login/sso", data={"email": email})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_signed_in_person_visiting_the_form_goes_to_start(client, auth, create_user):
    auth.login_as(create_user())
    assert client.get("/login/sso").location == "/"


def test_the_email_form_needs_a_csrf_token(make_app):
    with make_app(WTF_CSRF_ENABLED=True) as app:
        response = app.test_client().post("/login/sso", data={"email": "anna@falun.se"})
        assert response.status_code == 400
        assert "säkerhetstoken" in response.get_data(as_text=True)


def test_the_email_form_may_be_redirected_to_the_providers_only(client, falun_provider, issuer):
    # Browsers hold the redirect that answers a form to the form page's CSP form-action.
    for response in (client.get("/login/sso"), client.post("/login/sso", data={"email": "x"})):
        policy = response.headers["Content-Security-Policy"]
        assert f"form-action 'self' {issuer};" in policy
        assert "script-src 'self'" in policy
    assert "form-action 'self';" in client.get("/login").headers["Content-Security-Policy"]
