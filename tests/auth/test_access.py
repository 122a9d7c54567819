"""Every role-protected URL tried with every role, and municipality scoping."""

import pytest

from app.core.roles import Role

LESSON_AGENT = "/courses/agent/skills/videorummet"
LESSON_END_USER = "/courses/end-user/grunder/varfor-resfritt"

# (url, {role: expected status}); "anonymous" is redirected to the login page (302).
MATRIX = [
    ("/", {"anonymous": 200, Role.EMPLOYEE: 200, Role.AGENT: 200, Role.COORDINATOR: 200, Role.ADMIN: 200}),
    ("/courses/", {"anonymous": 302, Role.EMPLOYEE: 200, Role.AGENT: 200, Role.COORDINATOR: 200, Role.ADMIN: 200}),
    ("/courses/end-user", {"anonymous": 302, Role.EMPLOYEE: 200, Role.AGENT: 200, Role.COORDINATOR: 200, Role.ADMIN: 200}),
    (LESSON_END_USER, {"anonymous": 302, Role.EMPLOYEE: 200, Role.AGENT: 200, Role.COORDINATOR: 200, Role.ADMIN: 200}),
    ("/courses/agent", {"anonymous": 302, Role.EMPLOYEE: 404, Role.AGENT: 200, Role.COORDINATOR: 404, Role.ADMIN: 200}),
    (LESSON_AGENT, {"anonymous": 302, Role.EMPLOYEE: 404, Role.AGENT: 200, Role.COORDINATOR: 404, Role.ADMIN: 200}),
    ("/municipalities/", {"anonymous": 302, Role.EMPLOYEE: 403, Role.AGENT: 403, Role.COORDINATOR: 403, Role.ADMIN: 200}),
    ("/municipalities/2080", {"anonymous": 302, Role.EMPLOYEE: 403, Role.AGENT: 403, Role.COORDINATOR: 200, Role.ADMIN: 200}),
    ("/municipalities/2062", {"anonymous": 302, Role.EMPLOYEE: 403, Role.AGENT: 403, Role.COORDINATOR: 404, Role.ADMIN: 200}),
    ("/municipalities/9999", {"anonymous": 302, Role.EMPLOYEE: 403, Role.AGENT: 403, Role.COORDINATOR: 404, Role.ADMIN: 404}),
]  # fmt: skip
CASES = [
    pytest.param(url, role, status, id=f"{url} as {role}")
    for url, expected in MATRIX
    for role, status in expected.items()
]


@pytest.mark.parametrize(("url", "role", "status"), CASES)
def test_role_protected_urls(client, auth, create_user, synced_courses, url, role, status):
    if role != "anonymous":
        auth.login_as(create_user(role=role, municipality_code="2080"))
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response.location.startswith("/login?next=")


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
