"""`flask sso add | list | remove`: a municipality's provider, with clear errors for bad input."""

import pytest

from app.extensions import db
from app.sso.models import SsoProvider
from app.sso.services import _claimed_name

ISSUER = "https://login.falun.se"


def add(runner, *args):
    return runner.invoke(args=["sso", "add", *args])


def add_falun(runner, *extra):
    return add(runner, "2080", "--issuer", ISSUER, "--client-id", "vi-mots",
               "--client-secret", "hemlig-nyckel", "--domain", "Falun.se", *extra)  # fmt: skip


def test_add_list_remove(runner, municipalities):
    result = add_falun(runner, "--domain", "@skola.falun.se", "--domain", "falun.se")
    assert result.exit_code == 0, result.output
    assert "Added the provider of Falun (2080) for falun.se, skola.falun.se." in result.output
    provider = db.session.scalar(db.select(SsoProvider))
    assert provider.municipality.code == "2080"
    assert (provider.issuer, provider.client_id) == (ISSUER, "vi-mots")
    assert provider.email_domains == ["falun.se", "skola.falun.se"]
    assert provider.create_unknown is False

    result = runner.invoke(args=["sso", "list"])
    assert result.exit_code == 0, result.output
    assert "2080 Falun: https://login.falun.se client vi-mots" in result.output
    assert "roster only" in result.output
    assert "hemlig-nyckel" not in result.output

    result = runner.invoke(args=["sso", "remove", "2080"])
    assert result.exit_code == 0, result.output
    assert "Removed the provider of Falun (2080)" in result.output
    assert db.session.scalar(db.select(SsoProvider)) is None
    assert "No providers." in runner.invoke(args=["sso", "list"]).output


def test_create_unknown_flag(runner, municipalities):
    assert add_falun(runner, "--create-unknown").exit_code == 0
    assert db.session.scalar(db.select(SsoProvider)).create_unknown is True
    assert "creates unknown people" in runner.invoke(args=["sso", "list"]).output


def test_an_international_domain_is_stored_in_ascii(runner, municipalities):
    result = add(runner, "2039", "--issuer", ISSUER, "--client-id", "x", "--client-secret", "y",
                 "--domain", "Älvdalen.se")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(SsoProvider)).email_domains == ["xn--lvdalen-4wa.se"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["9999", "--issuer", ISSUER, "--client-id", "x", "--client-secret", "y", "--domain", "x.se"], "unknown municipality code '9999'"),
        (["2062", "--issuer", ISSUER, "--client-id", "x", "--client-secret", "y", "--domain", "FALUN.se"], "the domain 'falun.se' already belongs to the provider of Falun (2080)"),
        (["2080", "--issuer", ISSUER, "--client-id", "x", "--client-secret", "y", "--domain", "x.se"], "Falun (2080) already has a provider"),
        (["2062", "--issuer", "http://login.mora.se", "--client-id", "x", "--client-secret", "y", "--domain", "mora.se"], "must use https"),
        (["2062", "--issuer", "login.mora.se", "--client-id", "x", "--client-secret", "y", "--domain", "mora.se"], "is not an issuer URL"),
        (["2062", "--issuer", "https://login.mora.se/?a=b", "--client-id", "x", "--client-secret", "y", "--domain", "mora.se"], "is not an issuer URL"),
        (["2062", "--issuer", ISSUER, "--client-id", " ", "--client-secret", "y", "--domain", "mora.se"], "client id must not be empty"),
        (["2062", "--issuer", ISSUER, "--client-id", "x", "--client-secret", "", "--domain", "mora.se"], "client secret must not be empty"),
        (["2062", "--issuer", ISSUER, "--client-id", "x", "--client-secret", "y", "--domain", "mora"], "'mora' is not an email domain"),
        (["2062", "--issuer", ISSUER, "--client-id", "x", "--client-secret", "y", "--domain", "a b.se"], "is not an email domain"),
        (["2062", "--issuer", ISSUER, "--client-id", "x", "--client-secret", "y"], "Missing option '--domain'"),
    ],
    ids=["unknown-municipality", "domain-taken", "already-has-one", "http", "no-scheme", "query", "empty-client-id", "empty-secret", "bare-word-domain", "space-in-domain", "no-domain"],
)  # fmt: skip
def test_bad_input_exits_non_zero_with_the_reason(runner, municipalities, args, message):
    assert add_falun(runner).exit_code == 0
    result = add(runner, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(db.select(db.func.count(SsoProvider.id))) == 1


def test_http_is_allowed_on_this_machine_only(runner, municipalities):
    result = add(runner, "2062", "--issuer", "http://localhost:8080", "--client-id", "x",
                 "--client-secret", "y", "--domain", "mora.se")  # fmt: skip
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9999", "unknown municipality code '9999'"),
        ("2062", "Mora (2062) has no provider to remove"),
    ],
    ids=["unknown-municipality", "nothing-to-remove"],
)
def test_remove_refuses_with_the_reason(runner, municipalities, code, message):
    assert add_falun(runner).exit_code == 0
    result = runner.invoke(args=["sso", "remove", code])
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(db.select(db.func.count(SsoProvider.id))) == 1


def test_a_providers_name_loses_invisible_control_characters():
    assert _claimed_name({"name": "Eve\u202eliA\u200b Berg"}, "eve@falun.se") == "EveliA Berg"
