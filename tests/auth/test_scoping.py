"""Municipality scoping of the people pages, and the pages a refusal or a missing page shows."""

from app.core.roles import Role


def test_coordinator_sees_only_own_people(client, auth, create_user):
    create_user(role=Role.EMPLOYEE, municipality_code="2080", name="Falu Anställd")
    create_user(role=Role.EMPLOYEE, municipality_code="2062", name="Mora Anställd")
    auth.login_as(create_user(role=Role.COORDINATOR, municipality_code="2080"))
    html = client.get("/municipalities/2080").get_data(as_text=True)
    assert "Falu Anställd" in html and "Mora Anställd" not in html
    other = client.get("/municipalities/2062")
    assert other.status_code == 404 and "Mora Anställd" not in other.get_data(as_text=True)


def test_admin_overview_counts_people_per_municipality(client, auth, create_user):
    for _ in range(3):
        create_user(role=Role.AGENT, municipality_code="2062")
    create_user(role=Role.AGENT, municipality_code="2062", active=False)
    auth.login_as(create_user(role=Role.ADMIN))
    html = client.get("/municipalities/").get_data(as_text=True)
    assert html.count("<tr>") == 16  # header + 15 municipalities
    mora_row = html.split('href="/municipalities/2062">Mora</a></th>')[1].split("</tr>")[0]
    assert '<td class="num">3</td>' in mora_row  # the inactive agent is not counted


def test_error_pages_are_friendly(client, auth, create_user):
    auth.login_as(create_user(role=Role.EMPLOYEE))
    forbidden = client.get("/municipalities/").get_data(as_text=True)
    assert "Ingen behörighet" in forbidden and "<h1>" in forbidden
    missing = client.get("/finns-inte").get_data(as_text=True)
    assert "Sidan hittades inte" in missing
