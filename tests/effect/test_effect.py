"""The meeting log and its effect: the conversion, the import, access, totals, the report."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.auth.tokens import create_token
from app.core.roles import Role
from app.core.time import STOCKHOLM, utcnow
from app.effect import queries
from app.effect.factors import DEFAULTS, Factors, baselines
from app.effect.models import TravelFreeMeeting
from app.effect.report import report_pdf, report_xlsx, year_report
from app.extensions import db
from app.municipalities.models import Municipality
from tests.support.api import bearer
from tests.support.pdf_tags import assert_accessible
from tests.support.queries import QueryCounter

TODAY = utcnow().astimezone(STOCKHOLM).date()
YEAR = TODAY.year
HEADER = "date;form;meetings;participants;trips_avoided;km_avoided;municipality;note\n"


def entry(municipality, held_on=None, trips=3, km=None, meetings=1, form="video_room"):
    row = TravelFreeMeeting(municipality_id=municipality.id, held_on=held_on or TODAY, form=form,
                            meetings=meetings, participants=trips + 1, trips_avoided=trips,
                            km_avoided=km)  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


def test_the_conversion_matches_a_hand_computed_example(municipalities):
    falun, mora = municipalities["2080"], municipalities["2062"]
    mora.trip_km = 50.0
    entry(falun, trips=3)  # 3 trips × 90 km (the default distance) = 270 km
    entry(falun, trips=2, km=100.0)  # its own km
    entry(mora, trips=4)  # 4 × Mora's 50 km = 200 km
    entry(falun, trips=9, km=1000.0).replaced_at = utcnow()  # corrected away: not counted
    db.session.commit()
    assert DEFAULTS.kwh_per_km == pytest.approx(0.8 * 0.65 + 0.2 * 0.15)  # 0.55 kWh/km
    rows = {row.code: row for row in queries.effect_by_municipality(YEAR)}
    assert rows["2080"].km_avoided == pytest.approx(370)
    assert rows["2080"].mwh_saved == pytest.approx(370 * 0.55 / 1000)
    assert rows["2062"].km_avoided == pytest.approx(200)
    assert (rows["2080"].meetings, rows["2080"].trips_avoided) == (2, 5)
    total = queries.totals(list(rows.values()))
    assert total.baseline_mwh == pytest.approx(7900)
    assert (total.goal_2015_mwh, total.goal_2020_mwh) == (pytest.approx(1580), pytest.approx(3160))


def test_the_baseline_splits_by_population_unless_set(municipalities):
    places = list(municipalities.values())
    split = baselines(DEFAULTS, places)
    people = sum(m.population for m in places)
    assert split[municipalities["2080"].id] == pytest.approx(7900 * 59000 / people)
    municipalities["2080"].baseline_mwh = 2000.0
    split = baselines(Factors(baseline_mwh=7900), places)
    assert split[municipalities["2080"].id] == 2000
    assert sum(split.values()) == pytest.approx(7900)
    assert split[municipalities["2062"].id] == pytest.approx(5900 * 20000 / (people - 59000))


@pytest.mark.property
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(["2080", "2062", "2021"]), st.integers(0, 300),
                          st.integers(0, 40), st.one_of(st.none(), st.floats(0, 5000)),
                          st.integers(1, 30)), max_size=25))  # fmt: skip
def test_totals_equal_the_sum_of_municipalities_and_of_months(municipalities, entries):
    db.session.execute(db.delete(TravelFreeMeeting))
    first = date(YEAR, 1, 1)
    for code, day, trips, km, meetings in entries:
        held = min(first + timedelta(days=day), TODAY)
        db.session.add(TravelFreeMeeting(municipality_id=municipalities[code].id, held_on=held,
                                         form="web", meetings=meetings, participants=trips,
                                         trips_avoided=trips, km_avoided=km))  # fmt: skip
    db.session.commit()
    rows = queries.effect_by_municipality(YEAR)
    total = queries.totals(rows)
    months = queries.by_month(YEAR)
    assert total.meetings == sum(m.meetings for m in months) == sum(e[4] for e in entries)
    assert total.trips_avoided == sum(m.trips_avoided for m in months)
    assert total.km_avoided == pytest.approx(sum(m.km_avoided for m in months))
    assert total.mwh_saved == pytest.approx(sum(r.mwh_saved for r in rows))
    years = {row.month: row for row in queries.by_year()}
    assert years.get(str(YEAR), total).meetings == total.meetings
    assert years.get(str(YEAR), total).km_avoided == pytest.approx(total.km_avoided)


def test_import_reads_excel_files_and_reports_each_row(runner, municipalities, tmp_path):
    entry(municipalities["2080"], held_on=date(YEAR, 1, 10), trips=3)  # already logged
    text = (
        HEADER + f"{YEAR}-01-10;videorum;1;4;3;;2080;\n"  # the same as the log: rejected
        f"{YEAR}-01;videorum;95;380;250;;Mora;Statistik januari\n"  # a month's statistics
        f"{YEAR}-02-03;webbmöte;1;3;2;84,5;2080;Ekonomi\n"
        f"{YEAR}-02-03;webbmöte;1;3;2;84,5;2080;Ekonomi\n"  # twice in the file: rejected
        f"{YEAR}-02-04;brevduva;1;3;2;;2080;\n"
        f"{YEAR + 1}-01-01;telefon;1;3;2;;2080;\n"
        f"{YEAR}-02-05;telefon;;3;-2;;2080;\n"
        f"{YEAR}-02-06;telefon;1;3;2;;9999;\n"
    )
    path = tmp_path / "moten.csv"
    path.write_bytes(text.encode("cp1252"))
    result = runner.invoke(args=["meetings", "import", str(path)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("row 2: 2080 rejected")
    assert lines[1] == "row 3: 2062 new" and lines[2] == "row 4: 2080 new"
    assert "same as row 4" in lines[3] or "samma som rad 4" in lines[3]
    assert "form" in lines[4] and "date" in lines[5] and "trips_avoided" in lines[6]
    assert "9999" in lines[7]
    assert "2 new, 6 rejected" in result.output
    kept = db.session.scalars(db.select(TravelFreeMeeting).order_by(TravelFreeMeeting.id)).all()
    assert [(m.meetings, m.km_avoided, m.note) for m in kept[1:]] == [
        (95, None, "Statistik januari"), (1, 84.5, "Ekonomi")]  # fmt: skip
    assert kept[1].held_on == date(YEAR, 1, 1) and kept[2].form == "web"
    comma = tmp_path / "comma.csv"
    comma.write_text("\ufeff" + HEADER.replace(";", ",") + f"{YEAR}-03-01,jabber,1,2,1,,,\n",
                     encoding="utf-8")  # fmt: skip
    result = runner.invoke(args=["meetings", "import", str(comma), "--municipality", "2021"])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("datum;mötesform\n2026-01-01;web\n", encoding="utf-8")
    result = runner.invoke(args=["meetings", "import", str(bad)])
    assert result.exit_code == 1 and "nothing was imported" in result.output
    assert db.session.scalar(db.select(db.func.count(TravelFreeMeeting.id))) == 4


def test_a_coordinator_imports_only_their_own_municipalitys_rows(client, auth, create_user):
    auth.login_as(create_user(role=Role.COORDINATOR))
    data = (HEADER + f"{YEAR}-01-05;web;1;3;2;;2080;\n{YEAR}-01-05;web;1;3;2;;2062;\n").encode()
    page = client.post("/effect/2080/import", data={"file": (io.BytesIO(data), "m.csv")},
                       content_type="multipart/form-data")  # fmt: skip
    html = page.get_data(as_text=True)
    assert "raden gäller en annan kommun (Mora)" in html and "1 nytt möte" in html
    assert db.session.scalar(db.select(TravelFreeMeeting)) is None, "a preview writes nothing"
    hidden = html.split('name="data" value="')[1].split('"')[0]
    assert client.post("/effect/2080/import", data={"data": hidden}).status_code == 302
    (saved,) = db.session.scalars(db.select(TravelFreeMeeting)).all()
    assert saved.municipality.code == "2080" and saved.source == "import"
    assert client.get("/effect/2062/import").status_code == 404


def test_access_across_roles_and_municipalities(client, auth, create_user, municipalities):
    mine = entry(municipalities["2080"])
    agent = create_user(role=Role.AGENT)
    auth.login_as(agent)
    assert client.get("/effect/").status_code == 302  # to the meeting form
    assert client.get("/effect/2080").status_code == 403
    assert client.get(f"/effect/entries/{mine.id}").status_code == 404, "not theirs"
    assert client.get("/api/v1/effect").status_code == 403
    auth.logout()
    auth.login_as(create_user(role=Role.EMPLOYEE))
    assert client.get("/effect/log").status_code == 403
    auth.logout()
    auth.login_as(create_user(role=Role.COORDINATOR, municipality_code="2062"))
    assert client.get("/effect/2080").status_code == 404
    assert client.get(f"/effect/entries/{mine.id}").status_code == 404
    assert client.get("/api/v1/municipalities/2080/effect").status_code == 404
    assert [m["code"] for m in client.get("/api/v1/effect").json["municipalities"]] == ["2062"]
    assert client.post("/effect/how", data={"car_share": "10"}).status_code == 403
    assert client.post(f"/effect/report-{YEAR}.pdf").status_code == 403


def test_logging_correcting_and_removing_keep_history(client, auth, create_user):
    agent = create_user(role=Role.AGENT)
    auth.login_as(agent)
    form = {"date": TODAY.isoformat(), "mode": "web", "participants": "5", "trips_avoided": "x"}
    response = client.post("/effect/log", data=form)
    assert response.status_code == 422
    assert "Ange ett heltal från 0." in response.get_data(as_text=True)
    assert client.post("/effect/log", data={**form, "trips_avoided": "4"}).status_code == 302
    (first,) = db.session.scalars(db.select(TravelFreeMeeting)).all()
    assert (first.municipality.code, first.trips_avoided, first.created_by_id) == (
        "2080",
        4,
        agent.id,
    )
    page = client.post(f"/effect/entries/{first.id}", data={**form, "trips_avoided": "3"})
    assert page.status_code == 302
    db.session.expire_all()
    rows = db.session.scalars(db.select(TravelFreeMeeting).order_by(TravelFreeMeeting.id)).all()
    assert rows[0].replaced_at is not None and rows[0].replaced_by_id == rows[1].id
    assert queries.effect_by_municipality(YEAR, only=rows[1].municipality)[0].trips_avoided == 3
    client.post(f"/effect/entries/{rows[1].id}", data={**form, "action": "remove"})
    assert queries.effect_by_municipality(YEAR, only=rows[1].municipality)[0].meetings == 0
    assert db.session.scalar(db.select(db.func.count(TravelFreeMeeting.id))) == 2


def test_the_api_logs_a_meeting_and_a_read_only_token_may_not(client, create_user):
    coordinator = create_user(role=Role.COORDINATOR)
    token = create_token(coordinator, "Mötesplattformen")
    body = {"date": TODAY.isoformat(), "form": "web", "participants": 3, "trips_avoided": 2}
    response = client.post("/api/v1/meetings", json=body, headers=bearer(token))
    assert response.status_code == 201 and response.json["municipality"] == "2080"
    assert client.post("/api/v1/meetings", json={**body, "trips_avoided": -1},
                       headers=bearer(token)).status_code == 422  # fmt: skip
    assert client.post("/api/v1/meetings", json={**body, "municipality": "2062"},
                       headers=bearer(token)).status_code == 404  # fmt: skip
    assert client.post("/api/v1/meetings", data="[]", headers=bearer(token),
                       content_type="application/json").status_code == 422  # fmt: skip
    read_only = create_token(coordinator, "Läsare", read_only=True)
    assert client.post("/api/v1/meetings", json=body, headers=bearer(read_only)).status_code == 403
    assert db.session.scalar(db.select(db.func.count(TravelFreeMeeting.id))) == 1


def test_the_report_holds_the_apis_figures(client, create_user, municipalities):
    entry(municipalities["2080"], trips=3)
    entry(municipalities["2062"], trips=10, km=1234.5, meetings=7)
    token = create_token(create_user(role=Role.ADMIN), "Rapport")
    api = client.get(f"/api/v1/effect?year={YEAR}", headers=bearer(token)).json
    report = year_report(YEAR)
    sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))[f"Effekt {YEAR}"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for item in api["municipalities"]:
        row = rows[item["name"]]
        assert (row[1], row[2], row[4]) == (
            item["meetings"],
            item["trips_avoided"],
            item["mwh_saved"],
        )
    assert rows["Alla kommuner"][4] == api["totals"]["mwh_saved"]
    pdf = report_pdf(report)
    assert_accessible(pdf)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "1 580" in text and f"{api['totals']['meetings']} resfria möten" in text


@pytest.mark.real_commits
def test_the_report_buttons_make_the_files_in_the_background(
    client, auth, create_user, municipalities, finish_job
):
    entry(municipalities["2062"], trips=10, meetings=7)
    auth.login_as(create_user(role=Role.ADMIN))
    page = client.get(f"/effect/?year={YEAR}").get_data(as_text=True)
    assert f'formaction="/effect/report-{YEAR}.pdf"' in page
    pdf = finish_job(client.post(f"/effect/report-{YEAR}.pdf"))
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert "7 resfria möten" in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(finish_job(client.post(f"/effect/report-{YEAR}.xlsx")).data)
    )
    assert f"Effekt {YEAR}" in sheet.sheetnames


def test_query_counts_stay_the_same_as_the_log_grows(client, auth, create_user, municipalities):
    auth.login_as(create_user(role=Role.ADMIN))
    token = create_token(create_user(role=Role.ADMIN), "Mätning")
    urls = ["/effect/", "/effect/2080", "/effect/how", "/effect/log", "/api/v1/effect",
            "/api/v1/municipalities/2080/effect"]  # fmt: skip

    def counts():
        result = []
        for url in urls:
            with QueryCounter(db.engine) as counter:
                headers = bearer(token) if url.startswith("/api") else {}
                assert client.get(url, headers=headers).status_code == 200, url
            result.append(counter.count)
        return result

    small = counts()
    for number in range(120):
        db.session.add(TravelFreeMeeting(
            municipality_id=list(municipalities.values())[number % 15].id,
            held_on=TODAY - timedelta(days=number % 200), form="jabber", participants=2,
            trips_avoided=1))  # fmt: skip
    db.session.commit()
    assert counts() == small


def test_the_admin_changes_the_factors_and_every_figure_follows(
    client, auth, create_user, municipalities
):
    entry(municipalities["2080"], trips=0, km=1000.0)
    auth.login_as(create_user(role=Role.ADMIN))
    before = queries.effect_by_municipality(YEAR)[0].factors
    response = client.post("/effect/how", data={"car_share": "100", "car_kwh_per_km": "0.5",
                                                 "other_kwh_per_km": "0.1", "default_trip_km": "60",
                                                 "baseline_mwh": "7900"})  # fmt: skip
    assert response.status_code == 302 and before == DEFAULTS
    falun = next(r for r in queries.effect_by_municipality(YEAR) if r.code == "2080")
    assert falun.mwh_saved == pytest.approx(0.5)
    assert client.post("/effect/how", data={"car_share": "150"}).status_code == 422
    client.post("/effect/2062/settings", data={"baseline_mwh": "600", "trip_km": ""})
    db.session.expire_all()
    assert db.session.get(Municipality, municipalities["2062"].id).baseline_mwh == 600
