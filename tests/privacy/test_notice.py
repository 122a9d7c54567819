"""The privacy notice: public, in Swedish and English, saying what the retention rule does."""

import pytest

from app.core.roles import Role


def test_the_notice_is_public_and_answers_a_data_protection_officer(client):
    response = client.get("/privacy")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for words in (
        "Personuppgiftsansvarig är programkontoret",  # who is responsible
        "Namn, e-postadress, kommun, enhet och roll",  # what is stored
        "artikel 6.1 e",  # why: the legal basis
        "Kommunkoordinatorn i din kommun ser",  # who sees what
        "aldrig e-postadressen",  # certificates verifiable without e-mail
        "1\xa0095 dagar (ungefär 3 år)",  # how long: the configured period
        "Raderad person",  # what erasure keeps
        "Mina uppgifter",  # access
        "Integritetsskyddsmyndigheten (IMY)",  # complaints
        "dataskyddsombudet i din kommun",  # contact
    ):
        assert words in html, words


def test_the_notice_states_the_configured_period(make_app):
    with make_app(PRIVACY_RETENTION_DAYS=200) as app:
        html = app.test_client().get("/privacy").get_data(as_text=True)
        assert "200 dagar raderas" in html and "år)" not in html


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.ADMIN])
def test_the_profile_explains_and_links_the_download(client, auth, create_user, role):
    auth.login_as(create_user(role=role))
    html = client.get("/account/").get_data(as_text=True)
    assert 'href="/account/my-data.json"' in html and 'href="/privacy"' in html
    assert "Du kan ladda ner allt plattformen har sparat om dig" in html
