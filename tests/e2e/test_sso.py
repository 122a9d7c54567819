"""Signing in with the municipality's own account in Chromium, through a real OpenID Connect
provider on this machine; axe-core finds no WCAG 2.1 AA violations on our pages."""

import pytest
from playwright.sync_api import Page, expect

from app.sso.services import add_provider
from tests.support.browser import assert_accessible
from tests.support.oidc import ignore_mock_deprecation, running_provider, set_person

pytestmark = [pytest.mark.e2e, ignore_mock_deprecation]


@pytest.fixture
def falun_issuer(municipalities):
    """Falun's provider, answering for falun.se."""
    with running_provider() as issuer:
        add_provider("2080", issuer, "vi-mots-resfritt", "hemlig-nyckel", ["falun.se"])
        yield issuer


def sign_in_at_the_provider(page: Page, live_server: str, email: str, sub: str) -> None:
    """Our email form, then the provider's page where the person is `sub`."""
    page.goto(f"{live_server}/login/sso")
    assert_accessible(page)
    page.get_by_label("E-postadress på jobbet").fill(email)
    page.get_by_role("button", name="Fortsätt till kommunens inloggning").click()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_a_roster_person_signs_in_with_the_municipal_account(
    page: Page, live_server, falun_issuer, learner
):
    set_person(falun_issuer, "asa", email=learner.email, email_verified=True)
    sign_in_at_the_provider(page, live_server, learner.email, "asa")
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hej Åsa Öberg!")


def test_refusal_and_unknown_domain_are_accessible(page: Page, live_server, falun_issuer):
    set_person(falun_issuer, "okand", email="okand@falun.se", email_verified=True)
    sign_in_at_the_provider(page, live_server, "okand@falun.se", "okand")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Du finns inte i kommunens personallista"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Logga in med kommunens konto igen").click()
    page.get_by_label("E-postadress på jobbet").fill("anna@gmail.com")
    page.get_by_role("button", name="Fortsätt till kommunens inloggning").click()
    expect(page.get_by_role("alert")).to_contain_text("Din kommun har ingen inloggning")
    expect(page.get_by_label("E-postadress på jobbet")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
