"""Activation and reset links (single use, expiry, tampering), the password rule, and sessions
that end everywhere on logout and a new password; the coordinator's activation tools."""

import csv
import io
import re

import pytest
from itsdangerous import TimestampSigner
from pypdf import PdfReader

from app.auth.links import LinkPurpose, link_token
from app.core.roles import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.support.jobs import download, wait_for_job

NEW_PASSWORD = "tre gröna mötesrum"


@pytest.fixture
def newcomer(create_user):
    """Imported from the roster: no password yet."""
    person = create_user(email="nyanstalld@falun.se", name="Ny Anställd")
    person.password_hash = None
    db.session.commit()
    return person


def links_in_outbox(kind: str) -> list[str]:
    db.session.expire_all()
    bodies = db.session.scalars(db.select(OutboxMessage.body_text).filter_by(kind=kind)).all()
    return [re.search(r"https?://\S+", body).group(0) for body in bodies]


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.mark.real_commits
def test_coordinator_sends_activation_and_the_newcomer_gets_in(client, auth, newcomer, create_user):
    auth.login_as(create_user(role=Role.COORDINATOR))
    page = client.get("/municipalities/2080").get_data(as_text=True)
    assert "1 personer har inte valt lösenord" in page
    sent = wait_for_job(client, client.post("/municipalities/2080/activation/send"))
    assert sent["message"] == "Klart: en aktiveringslänk skickas till 1 person."
    auth.logout()
    (link,) = links_in_outbox("activation")
    form = client.get(path_of(link))
    assert form.status_code == 200 and "Ny Anställd" in form.get_data(as_text=True)
    short = client.post(path_of(link), data={"password": "kort", "confirm": "kort"})
    assert short.status_code == 422 and "minst 12 tecken" in short.get_data(as_text=True)
    common = client.post(
        path_of(link), data={"password": "password1234", "confirm": "password1234"}
    )
    assert common.status_code == 422 and "för vanligt" in common.get_data(as_text=True)
    done = client.post(path_of(link), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location == "/"
    home = client.get("/").get_data(as_text=True)
    assert 'Ny Anställd<span class="who-role"> · medarbetare' in home, "signed in"
    assert auth.logout().status_code == 302
    again = client.get(path_of(link))
    assert again.status_code == 410 and "redan använd" in again.get_data(as_text=True)
    assert auth.login(newcomer.email, NEW_PASSWORD).status_code == 302


def test_an_expired_or_tampered_link_says_so_and_offers_a_new_one(
    client, newcomer, app, monkeypatch
):
    with app.test_request_context():
        token = link_token(newcomer, LinkPurpose.ACTIVATE)
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 0)  # 1970
        old = link_token(newcomer, LinkPurpose.ACTIVATE)
    monkeypatch.undo()
    expired = client.get(f"/activate/{old}")
    assert expired.status_code == 410 and "slutat gälla" in expired.get_data(as_text=True)
    assert "Skicka en ny länk" in expired.get_data(as_text=True)
    tampered = client.get(f"/activate/{token[:-2]}xx")
    assert tampered.status_code == 404 and "inte giltig" in tampered.get_data(as_text=True)
    reset_with_activation = client.get(f"/password/reset/{token}")
    assert reset_with_activation.status_code == 404, "a link works only for its purpose"


def test_another_persons_link_cannot_be_bent(client, newcomer, create_user, app):
    other = create_user(email="annan@falun.se")
    other.password_hash = None
    db.session.commit()
    with app.test_request_context():
        token = link_token(newcomer, LinkPurpose.ACTIVATE)
    payload, _, rest = token.partition(".")
    forged = payload.replace(payload[:4], payload[:4][::-1]) + "." + rest
    assert client.get(f"/activate/{forged}").status_code == 404
    client.post(f"/activate/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    db.session.expire_all()
    assert other.password_hash is None and newcomer.password_hash is not None


def test_forgotten_password_answers_the_same_and_a_reset_ends_other_sessions(
    client, auth, app, create_user
):
    person = create_user(email="glomsk@falun.se")
    answers = []
    for address in ("finns.inte@falun.se", "GLOMSK@falun.se"):
        response = client.post("/password/forgot", data={"email": address})
        answers.append((response.status_code, client.get(response.location).get_data(as_text=True)))
    assert answers[0][0] == answers[1][0] == 302
    assert all(
        "Om adressen finns hos oss har vi skickat en länk dit." in page for _, page in answers
    )
    (link,) = links_in_outbox("password_reset")
    laptop = app.test_client()
    laptop.post("/login", data={"email": person.email, "password": "rätt-lösenord-123"})
    assert laptop.get("/certificates/mine").status_code == 200
    client.post(path_of(link), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert laptop.get("/certificates/mine").status_code == 302, "the other session has ended"
    assert client.get("/certificates/mine").status_code == 200, "the resetting one goes on"
    assert client.get(path_of(link)).status_code == 410, "single use"


def test_logout_ends_every_session_of_the_person(app, create_user):
    person = create_user()
    phone, desk = app.test_client(), app.test_client()
    for device in (phone, desk):
        device.post("/login", data={"email": person.email, "password": "rätt-lösenord-123"})
        assert device.get("/certificates/mine").status_code == 200
    phone.post("/logout")
    assert desk.get("/certificates/mine").status_code == 302


@pytest.mark.real_commits
def test_activation_links_as_csv_and_slips_for_ones_own_municipality_only(
    client, auth, newcomer, create_user
):
    auth.login_as(create_user(role=Role.COORDINATOR))
    rows = list(csv.reader(io.StringIO(download(client, "/municipalities/2080/activation/csv").data.decode(
        "utf-8-sig")), delimiter=";"))  # fmt: skip
    assert rows[1][:2] == ["Ny Anställd", "nyanstalld@falun.se"] and "/activate/" in rows[1][2]
    assert rows[1][2].startswith("http://localhost/activate/"), "made in a job, for this host"
    assert len(rows) == 2, "only those without a password"
    pdf = PdfReader(io.BytesIO(download(client, "/municipalities/2080/activation/pdf").data))
    text = pdf.pages[0].extract_text()
    assert "Ny Anställd" in text and "nyanstalld@falun.se" in text
    for url in ("/municipalities/2062/activation/csv", "/municipalities/2062/activation/pdf"):
        assert client.post(url).status_code == 404
    assert client.post("/municipalities/2062/activation/send").status_code == 404
    auth.logout()
    auth.login_as(create_user(role=Role.EMPLOYEE))
    assert client.post("/municipalities/2080/activation/csv").status_code == 403


def test_login_page_offers_a_forgotten_password_and_the_municipal_sign_in_when_there_is_one(
    client, municipalities
):
    from app.sso.models import SsoProvider

    page = client.get("/login?next=/courses/").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and "/login/sso" not in page
    db.session.add(SsoProvider(
        municipality_id=municipalities["2080"].id, issuer="https://login.falun.se",
        client_id="resfritt", client_secret="hemligt", email_domains=["falun.se"],
    ))  # fmt: skip
    db.session.commit()
    page = client.get("/login?next=/courses/").get_data(as_text=True)
    assert 'href="/login/sso?next=/courses/"' in page and "Logga in med kommunens konto" in page


def test_deactivation_ends_the_persons_sessions(app, client, auth, create_user):
    leaver = create_user(email="slutar@falun.se")
    device = app.test_client()
    device.post("/login", data={"email": leaver.email, "password": "rätt-lösenord-123"})
    assert device.get("/certificates/mine").status_code == 200
    auth.login_as(create_user(role=Role.COORDINATOR))
    client.post(f"/municipalities/2080/people/{leaver.id}/active")
    assert device.get("/certificates/mine").status_code == 302


def test_changing_the_password_keeps_this_browser_and_ends_the_others(
    app, client, auth, create_user
):
    person = create_user(email="byter@falun.se")
    other = app.test_client()
    other.post("/login", data={"email": person.email, "password": "rätt-lösenord-123"})
    auth.login_as(person)
    wrong = client.post("/account/password", data={
        "current": "fel", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})  # fmt: skip
    assert wrong.status_code == 422 and "stämmer inte" in wrong.get_data(as_text=True)
    done = client.post("/account/password", data={
        "current": "rätt-lösenord-123", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})  # fmt: skip
    assert done.status_code == 302
    assert client.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302
    auth.logout()
    assert auth.login(person.email, NEW_PASSWORD).status_code == 302


def test_profile_changes_name_and_language(client, auth, create_user):
    person = create_user(email="profil@falun.se")
    auth.login_as(person)
    bad = client.post("/account/profile", data={"name": " ", "locale": "en"})
    assert bad.status_code == 422 and "Skriv ditt namn." in bad.get_data(as_text=True)
    client.post("/account/profile", data={"name": "Åsa Nyström", "locale": "en"})
    page = client.get("/account/").get_data(as_text=True)
    assert "Åsa Nyström" in page and "My profile" in page


def test_my_data_holds_what_the_platform_keeps_about_me_and_no_one_else(
    client, auth, create_user, certified_agent
):
    import json

    from app.training.services import create_session, register
    from tests.support.training import details

    person = create_user(email="insyn@falun.se", name="Insyn Person")
    register(person, create_session(certified_agent, details()))
    auth.login_as(person)
    response = client.get("/account/my-data.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.data)
    assert data["account"]["email"] == "insyn@falun.se" and data["account"]["has_password"]
    assert [s["status"] for s in data["training_sessions"]] == ["registered"]
    assert "password_hash" not in response.get_data(as_text=True)
    assert certified_agent.email not in response.get_data(as_text=True)


def test_a_password_reset_revokes_the_persons_api_tokens(client, app, create_user):
    from app.auth.tokens import create_token

    person = create_user(email="token@falun.se", role=Role.COORDINATOR)
    token = create_token(person, "Kommunens LRS")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/coverage", headers=bearer).status_code == 200
    client.post("/password/forgot", data={"email": person.email})
    (link,) = links_in_outbox("password_reset")
    client.post(path_of(link), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.post("/logout")
    assert client.get("/api/v1/coverage", headers=bearer).status_code == 401


@pytest.mark.real_commits
def test_a_coordinator_never_gets_a_fellow_coordinators_activation_link(client, auth, create_user):
    fellow = create_user(role=Role.COORDINATOR, email="kollega.koord@falun.se")
    fellow.password_hash = None
    db.session.commit()
    auth.login_as(create_user(role=Role.COORDINATOR))
    listed = download(client, "/municipalities/2080/activation/csv").data.decode("utf-8-sig")
    assert "kollega.koord@falun.se" not in listed
    wait_for_job(client, client.post("/municipalities/2080/activation/send"))
    assert links_in_outbox("activation") == []
