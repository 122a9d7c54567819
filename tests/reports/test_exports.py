"""Exports and charts speak the reader's language: headers, roles and yes/no translated, the decimal
sign Excel expects in a `;` file, dates as real date cells in XLSX."""

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from app.core.roles import Role
from app.extensions import db
from tests.support.jobs import download


def reader(client, auth, create_user, role: str, language: str):
    """Log in someone of `role` who reads `language`."""
    user = create_user(role=role, email=f"{role}.{language}@falun.se")
    user.locale = language
    db.session.commit()
    auth.login_as(user)
    return client


def csv_rows(client, path: str) -> list[dict[str, str]]:
    """A CSV export read as Swedish Excel reads it (BOM, `;`)."""
    text = download(client, path).data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def xlsx_rows(client, path: str) -> list[dict]:
    """An XLSX export's cells by header, with the openpyxl cells (to ask is_date)."""
    sheet = load_workbook(io.BytesIO(download(client, path).data)).active
    header, *rows = list(sheet.iter_rows())
    return [{top.value: cell for top, cell in zip(header, row, strict=True)} for row in rows]


@pytest.mark.real_commits
@pytest.mark.parametrize(
    ("language", "coverage", "percent"),
    [("sv", "Täckning (%)", "42,9"), ("en", "Coverage (%)", "42.9")],
)
def test_coverage_csv_uses_the_decimal_sign_of_the_language(
    client, auth, create_user, falun_story, municipalities, language, coverage, percent
):
    municipalities["2080"].staff_target = 7  # 3 trained of 7: 42.857 %
    db.session.commit()
    reader(client, auth, create_user, Role.ADMIN, language)
    rows = {row[next(iter(row))]: row for row in csv_rows(client, "/reports/coverage.csv")}
    assert rows["2080"][coverage] == percent
    assert rows["2021"][coverage] == ("0.0" if language == "en" else "0,0")
    xlsx = {row["Kod" if language == "sv" else "Code"].value: row for row in
            xlsx_rows(client, "/reports/coverage.xlsx")}  # fmt: skip
    assert xlsx["2080"][coverage].value == pytest.approx(42.9), "a number in XLSX"


@pytest.mark.real_commits
@pytest.mark.parametrize(
    ("language", "header", "role", "yes"),
    [
        ("sv", ["Namn", "E-post", "Roll", "Aktiv", "Utbildad", "Hur", "Datum", "Utbildare"],
         "medarbetare", "ja"),
        ("en", ["Name", "Email", "Role", "Active", "Trained", "How", "Date", "Trainer"],
         "employee", "yes"),
    ],
)  # fmt: skip
def test_people_export_in_the_readers_language_with_real_dates(
    client, auth, create_user, falun_story, language, header, role, yes
):
    reader(client, auth, create_user, Role.COORDINATOR, language)
    rows = csv_rows(client, "/reports/2080/people.csv")
    assert list(rows[0]) == header
    trained = [row for row in rows if row[header[4]] == yes]
    assert len(trained) == 3 and all(row[header[2]] == role for row in trained)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[header[6]]) for row in trained)
    cells = [row[header[6]] for row in xlsx_rows(client, "/reports/2080/people.xlsx")]
    dates = [cell for cell in cells if cell.value is not None]
    assert len(dates) == 3 and all(cell.is_date for cell in dates)
    assert all(isinstance(cell.value, datetime | date) for cell in dates)


@pytest.mark.real_commits
def test_sessions_export_has_real_date_cells(client, auth, create_user, falun_story):
    reader(client, auth, create_user, Role.COORDINATOR, "sv")
    (line,) = csv_rows(client, "/reports/2080/sessions.csv")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", line["Datum"])
    (row,) = xlsx_rows(client, "/reports/2080/sessions.xlsx")
    assert row["Datum"].is_date and row["Datum"].number_format == "yyyy-mm-dd hh:mm"
    assert f"{row['Datum'].value:%Y-%m-%d %H:%M}" == line["Datum"], "Swedish time in both"


def test_chart_descriptions_follow_the_language(client, auth, create_user, falun_story):
    reader(client, auth, create_user, Role.COORDINATOR, "en")
    html = client.get("/reports/2080").get_data(as_text=True)
    descriptions = " ".join(re.findall(r"<desc [^>]*>(.*?)</desc>", html, flags=re.S))
    assert "Certified meeting agents" in descriptions
    assert "via tillfälle" not in descriptions and "online" in descriptions
