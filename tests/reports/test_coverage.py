"""Coverage by the rules of DESIGN §5, as SQL aggregates; dashboards, exports and their scoping."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from app.core.roles import Role
from app.extensions import db
from app.reports import queries
from tests.support.courses import complete
from tests.support.jobs import download
from tests.support.queries import QueryCounter


def test_coverage_follows_the_rules(falun_story):
    rows = {row.code: row for row in queries.coverage_by_municipality()}
    falun = rows["2080"]
    assert (falun.staff_target, falun.staff_trained) == (10, 3), "inactive leavers do not count"
    assert falun.coverage == pytest.approx(0.3)
    assert (falun.agent_target, falun.agents_certified) == (2, 1)
    assert (falun.sessions_held, falun.attendees) == (1, 2)
    assert (falun.trained_online, falun.trained_via_session) == (1, 2)
    assert rows["2062"].staff_trained == 1 and rows["2021"].staff_trained == 0
    assert len(rows) == 15
    assert queries.totals(list(rows.values())).staff_trained == 4


def test_agents_reach_and_who_is_behind(falun_story, municipalities):
    agents = {a.email: a for a in queries.agents_of(municipalities["2080"])}
    reach = agents[falun_story["agent"].email]
    assert (reach.certified, reach.sessions_held, reach.attendees, reach.staff_trained) == (
        True,
        1,
        2,
        2,
    )
    assert not reach.behind
    later = queries.agents_of(
        municipalities["2080"], now=falun_story["session"].starts_at + timedelta(days=61)
    )
    assert next(a for a in later if a.email == reach.email).behind


def test_coverage_is_a_fixed_number_of_queries(falun_story, create_user, courses):
    with QueryCounter(db.engine) as small:
        queries.coverage_by_municipality()
    for _ in range(30):
        complete(create_user(municipality_code="2062"), courses["employee"])
    with QueryCounter(db.engine) as large:
        queries.coverage_by_municipality()
    assert small.count == large.count == 2  # staff trained, then the rest of the row


def test_the_overview_counts_staff_trained_once_for_the_table_and_the_trend(
    falun_story, create_user, courses
):
    before = queries.coverage_by_municipality()
    for _ in range(3):
        complete(create_user(municipality_code="2062"), courses["employee"])
    now = datetime.now(UTC)
    trained = queries.trained_by_month(now)
    shared = queries.coverage_by_municipality(now, trained=trained)
    assert shared == queries.coverage_by_municipality(now)
    assert queries.by_month(now=now, trained=trained) == queries.by_month(now=now)
    rows = {row.code: row for row in shared}
    months = queries.by_month(now=now, trained=trained)
    assert sum(m["trained_online"] + m["trained_via_session"] for m in months) == sum(
        row.staff_trained for row in shared
    )
    mora_before = next(row for row in before if row.code == "2062")
    assert rows["2062"].trained_online == mora_before.trained_online + 3


@pytest.mark.parametrize(
    ("role", "code", "status"),
    [(Role.ADMIN, None, 200), (Role.COORDINATOR, None, 302), (Role.EMPLOYEE, None, 403), (Role.AGENT, None, 403),
     (Role.ADMIN, "2062", 200), (Role.COORDINATOR, "2080", 200), (Role.COORDINATOR, "2062", 404)],
)  # fmt: skip
def test_dashboard_access(client, auth, create_user, falun_story, role, code, status):
    auth.login_as(create_user(role=role))
    response = client.get(f"/reports/{code}" if code else "/reports/")
    assert response.status_code == status


def test_dashboards_show_tables_and_charts_with_text(client, auth, create_user, falun_story):
    auth.login_as(create_user(role=Role.ADMIN))
    html = client.get("/reports/?sort=coverage").get_data(as_text=True)
    assert html.count('role="img"') == 3 and html.count("<title id=") == 3 and "<desc" in html
    assert 'aria-sort="descending"' in html
    assert html.index(">Falun<") < html.index(">Mora<"), "sorted by coverage"
    page = client.get("/reports/2080").get_data(as_text=True)
    assert "3 av 10 (30\u00a0%)" in page and "Kaskaden" in page


@pytest.mark.real_commits
def test_exports_are_excel_safe_and_scoped(client, auth, create_user, falun_story):
    falun_story["staff"][4].name = "=cmd|' /C calc'!A0"
    db.session.commit()
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = download(client, "/reports/2080/people.csv")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Namn", "E-post", "Roll"]
    assert any(row[0] == "'=cmd|' /C calc'!A0" for row in rows)
    assert sum(row[4] == "ja" for row in rows[1:]) == 3, (
        "trained as the coverage counts: not the leaver"
    )
    assert client.post("/reports/2062/people.csv").status_code == 404
    workbook = load_workbook(io.BytesIO(download(client, "/reports/2080/people.xlsx").data))
    assert workbook.active["A1"].value == "Namn"
    assert client.post("/reports/coverage.csv").status_code == 403
    auth.logout()
    auth.login_as(create_user(role=Role.ADMIN))
    sheet = load_workbook(io.BytesIO(download(client, "/reports/coverage.xlsx").data)).active
    names = [cell.value for cell in sheet["B"]][1:]
    assert "Falun" in names and "Dalarna" in names


@pytest.mark.real_commits
def test_xlsx_survives_control_characters(client, auth, create_user, falun_story):
    falun_story["staff"][0].name = "Anna\x01Berg"
    db.session.commit()
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = download(client, "/reports/2080/people.xlsx")
    assert response.status_code == 200
    names = [cell.value for cell in load_workbook(io.BytesIO(response.data)).active["A"]]
    assert "AnnaBerg" in names
