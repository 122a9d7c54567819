"""Roster import: Excel's encodings and separators, per-row reports, no silent moves, targets."""

import io

import pytest

from app.auth.models import User
from app.core.roles import Role
from app.extensions import db
from app.municipalities import roster
from app.municipalities.models import Municipality
from tests.support.jobs import wait_for_job


def users() -> dict[str, User]:
    db.session.expire_all()
    return {u.email: u for u in db.session.scalars(db.select(User))}


def falun() -> Municipality:
    db.session.expire_all()
    return db.session.scalar(db.select(Municipality).filter_by(code="2080"))


ROSTER = (
    "email;name;role;municipality;unit\n"
    "Karin.Lund@falun.se;Karin Lund;employee;2080;Socialtjänsten\n"
    "bo.ek@falun.se;Bo Ek;agent;;Skolan\n"
    "inte-en-adress;Ingen;employee;2080;\n"
    "karin.lund@falun.se;Dubblett;employee;2080;\n"
    "ada@falun.se;Ada;chef;2080;\n"
    "flytt@mora.se;Flyttar Inte;employee;2080;\n"
    "okand@falun.se;Okänd Kommun;employee;9999;\n"
)


def test_cli_import_reports_every_row_and_keeps_the_good_ones(runner, create_user, tmp_path):
    create_user(email="flytt@mora.se", municipality_code="2062", name="Flyttar Inte")
    path = tmp_path / "roster.csv"
    path.write_bytes(("\ufeff" + ROSTER).encode("utf-8"))
    result = runner.invoke(args=["users", "import", str(path), "--municipality", "2080"])
    assert result.exit_code == 1, "rejected rows make the command fail, after keeping the good ones"
    out = result.output
    assert "row 2: karin.lund@falun.se created" in out and "row 3: bo.ek@falun.se created" in out
    assert "row 4: inte-en-adress rejected: 'inte-en-adress' is not an email address" in out
    assert "row 5: karin.lund@falun.se rejected: the email appears earlier in the file" in out
    assert "row 6: ada@falun.se rejected: unknown role 'chef'" in out
    assert (
        "row 7: flytt@mora.se rejected: already registered in municipality 2062; not moved" in out
    )
    assert "row 8: okand@falun.se rejected: unknown municipality code '9999'" in out
    assert "2 created, 0 updated, 0 unchanged, 5 rejected" in out
    people = users()
    assert people["karin.lund@falun.se"].unit == "Socialtjänsten"
    assert people["bo.ek@falun.se"].role == Role.AGENT
    assert people["flytt@mora.se"].municipality.code == "2062"
    assert falun().staff_target == 2, "the roster's size is the target"


def test_windows_1252_with_commas_and_upserts(runner, create_user, tmp_path):
    create_user(email="asa@falun.se", name="Åsa Gammal")
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "E-post,Namn,Roll\nasa@falun.se,Åsa Öberg,medarbetare\nny@falun.se,Örjan Ny,employee\n".encode(
            "cp1252"
        )
    )
    result = runner.invoke(args=["users", "import", str(path), "--municipality", "2080"])
    assert result.exit_code == 0, result.output
    assert "1 created, 1 updated" in result.output
    assert users()["asa@falun.se"].name == "Åsa Öberg" and users()["ny@falun.se"].name == "Örjan Ny"
    again = runner.invoke(args=["users", "import", str(path), "--municipality", "2080"])
    assert "0 created, 0 updated, 2 unchanged" in again.output


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"\x89PNG\x00\x00", "not a CSV"),
     (b"namn;telefon\nA;1\n", "missing: email, role"), (b"email;name;role\n", "no people")],
)  # fmt: skip
def test_unusable_files_are_refused_whole(runner, municipalities, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = runner.invoke(args=["users", "import", str(path), "--municipality", "2080"])
    assert (
        result.exit_code == 1
        and message in result.output
        and "nothing was imported" in result.output
    )


def test_targets_belong_to_the_programme_office(client, auth, create_user):
    auth.login_as(create_user(role=Role.COORDINATOR))
    page = client.get("/municipalities/2080").get_data(as_text=True)
    assert "Spara målen" not in page and "Kontakta programkontoret" in page
    response = client.post("/municipalities/2080/targets", data={"staff_target": "1"})
    assert response.status_code == 403
    db.session.expire_all()
    assert falun().staff_target != 1, "a coordinator cannot inflate their own coverage"


def test_explicit_target_is_kept(runner, client, auth, create_user, tmp_path):
    auth.login_as(create_user(role=Role.ADMIN))
    client.post("/municipalities/2080/targets", data={"staff_target": "350", "agent_target": "9"})
    path = tmp_path / "r.csv"
    path.write_text("email;name;role\na@falun.se;A;employee\n", encoding="utf-8")
    db.session.expire_all()  # the CLI shares this test's session; the page wrote in its own
    runner.invoke(args=["users", "import", str(path), "--municipality", "2080"])
    assert (falun().staff_target, falun().staff_target_explicit) == (350, True)
    assert falun().agent_target == 9


def test_coordinator_previews_then_confirms_in_the_browser(client, auth, create_user):
    auth.login_as(create_user(role=Role.COORDINATOR))
    csv = "email;name;role;municipality\nny@falun.se;Ny Person;employee;2080\nmora@x.se;Mora Person;employee;2062\n"
    response = client.post(
        "/municipalities/2080/roster",
        data={"file": (io.BytesIO(csv.encode()), "lista.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Inget är sparat ännu" in html
    assert "hör till en annan kommun (2062)" in html
    assert "ny@falun.se" not in users(), "a preview writes nothing"
    data = html.split('name="data" value="')[1].split('"')[0]
    response = client.post("/municipalities/2080/roster", data={"data": data})
    assert response.status_code == 302
    assert "ny@falun.se" in users() and "mora@x.se" not in users()
    assert client.get("/municipalities/2062/roster").status_code == 404


@pytest.mark.real_commits
def test_a_long_list_is_saved_in_the_background(client, auth, create_user, monkeypatch):
    monkeypatch.setattr(roster, "IN_REQUEST", 2)
    auth.login_as(create_user(role=Role.COORDINATOR))
    csv = "email;name;role\n" + "".join(f"ny{n}@falun.se;Ny {n};employee\n" for n in range(3))
    html = client.post(
        "/municipalities/2080/roster",
        data={"file": (io.BytesIO(csv.encode()), "lista.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    data = html.split('name="data" value="')[1].split('"')[0]
    saved = wait_for_job(client, client.post("/municipalities/2080/roster", data={"data": data}))
    assert saved["message"] == (
        "Personallistan är inläst: 3 nya personer, 0 ändrade personer och 0 avvisade rader."
    )
    db.session.expire_all()
    assert {"ny0@falun.se", "ny1@falun.se", "ny2@falun.se"} <= set(users())


def test_upload_of_a_non_csv_re_renders_with_the_reason(client, auth, create_user):
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = client.post("/municipalities/2080/roster", data={"file": (io.BytesIO(b"\x00\x01"), "x.xlsx")},
                           content_type="multipart/form-data")  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "det här är ingen CSV-fil" in html


def test_deactivated_staff_leave_the_target_but_stay_on_record(client, auth, create_user):
    coordinator = create_user(role=Role.COORDINATOR)
    leaver = create_user(name="Slutar Nu")
    stranger = create_user(municipality_code="2062")
    auth.login_as(coordinator)
    client.post(f"/municipalities/2080/people/{leaver.id}/active")
    assert users()[leaver.email].active is False
    assert falun().staff_target == 1, "only the coordinator is left active"
    assert "Slutar Nu" in client.get("/municipalities/2080").get_data(as_text=True)
    assert client.post(f"/municipalities/2080/people/{stranger.id}/active").status_code == 404
    assert client.post(f"/municipalities/2062/people/{stranger.id}/active").status_code == 404
    assert users()[stranger.email].active is True


def test_a_coordinator_learns_nothing_about_other_municipalities(client, auth, create_user):
    create_user(email="hemlig@borlange.se", municipality_code="2081")
    create_user(role=Role.ADMIN, email="chef@region.se")
    auth.login_as(create_user(role=Role.COORDINATOR))
    csv = "email;name;role\nhemlig@borlange.se;X;employee\nchef@region.se;Y;employee\n"
    html = client.post("/municipalities/2080/roster", data={"file": (io.BytesIO(csv.encode()), "l.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    assert html.count("e-postadressen kan inte läsas in här") == 2
    assert "2081" not in html and "admin" not in html


@pytest.mark.parametrize(
    ("content", "message"),
    [("\ufeff".encode(), "the file is empty"),
     (('email;name;role\n"' + "x" * 200_000).encode(), "not a readable CSV")],
)  # fmt: skip
def test_odd_files_are_refused_not_crashed_on(runner, municipalities, tmp_path, content, message):
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    result = runner.invoke(args=["users", "import", str(path), "--municipality", "2080"])
    assert result.exit_code == 1 and message in result.output


def test_too_long_or_control_characters_are_rejected_per_row(runner, municipalities, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(f"email;name;role\na@falun.se;{'N' * 201};employee\nb@falun.se;Anna\x01Berg;employee\n"
                    "c@falun.se;Cecilia;employee\n", encoding="utf-8")  # fmt: skip
    result = runner.invoke(args=["users", "import", str(path), "--municipality", "2080"])
    assert "row 2: a@falun.se rejected: too long" in result.output
    assert "row 3: b@falun.se rejected: control characters" in result.output
    assert "1 created" in result.output


def test_the_import_page_explains_in_swedish_and_shows_units_and_plural_counts(
    client, auth, create_user
):
    create_user(email="finns@falun.se", name="Finns Redan")
    auth.login_as(create_user(role=Role.COORDINATOR))
    page = client.get("/municipalities/2080/roster").get_data(as_text=True)
    assert "kolumnerna e-post, namn och roll" in page and "och enhet" in page
    assert "medarbetare, mötesagent eller kommunkoordinator" in page
    for english in ("email, name", "municipality", "employee", "coordinator"):
        assert english not in page, english
    csv = ("e-post;namn;roll;enhet\nny@falun.se;Ny Person;medarbetare;Hemtjänst Norr\n"
           "finns@falun.se;Finns Redan;mötesagent;Skolan\nfel;Fel Adress;medarbetare;\n")  # fmt: skip
    response = client.post("/municipalities/2080/roster",
                           data={"file": (io.BytesIO(csv.encode()), "lista.csv")},
                           content_type="multipart/form-data")  # fmt: skip
    html = response.get_data(as_text=True)
    assert '<th scope="col">Enhet</th>' in html
    assert "<td>Hemtjänst Norr</td>" in html and "<td>Skolan</td>" in html
    assert "&#39;fel&#39; är ingen e-postadress" in html and "not an email" not in html
    assert (
        "1 ny person, 1 ändrad person, 0 oförändrade personer och 1 avvisad rad. "
        "Inget är sparat ännu." in html
    )
    data = html.split('name="data" value="')[1].split('"')[0]
    page = client.post("/municipalities/2080/roster", data={"data": data}, follow_redirects=True)
    assert (
        "Personallistan är inläst: 1 ny person, 1 ändrad person och 1 avvisad rad."
        in page.get_data(as_text=True)
    )
    assert users()["ny@falun.se"].unit == "Hemtjänst Norr"
    two_bad = "email;name;role\nx;X;employee\ny;Y;employee\nz@falun.se;Z;employee\n"
    html = client.post("/municipalities/2080/roster",
                       data={"file": (io.BytesIO(two_bad.encode()), "l.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    assert "1 ny person, 0 ändrade personer, 0 oförändrade personer och 2 avvisade rader." in html


def test_the_import_page_gives_reasons_in_the_readers_language_escaped(client, auth, create_user):
    coordinator = create_user(role=Role.COORDINATOR)
    auth.login_as(coordinator)
    csv = "email;name;role\n<b>fet</b>;Fet;employee\nny@falun.se;Ny;chef\n"

    def upload(content: str):
        return client.post("/municipalities/2080/roster",
                           data={"file": (io.BytesIO(content.encode()), "lista.csv")},
                           content_type="multipart/form-data")  # fmt: skip

    html = upload(csv).get_data(as_text=True)
    assert "&#39;&lt;b&gt;fet&lt;/b&gt;&#39; är ingen e-postadress" in html, "the file is text"
    assert "<b>fet</b>" not in html
    assert "okänd roll &#39;chef&#39; (medarbetare, mötesagent eller kommunkoordinator)" in html
    refused = upload("namn;telefon\nA;1\n")
    assert refused.status_code == 422
    assert "saknas: e-post, roll" in refused.get_data(as_text=True)
    coordinator.locale = "en"
    db.session.commit()
    html = upload(csv).get_data(as_text=True)
    assert "&#39;&lt;b&gt;fet&lt;/b&gt;&#39; is not an email address" in html
    assert "unknown role &#39;chef&#39; (employee, agent or coordinator)" in html
    assert "missing: email, role" in upload("namn;telefon\nA;1\n").get_data(as_text=True)


def test_a_long_preview_shows_every_rejected_row_and_the_first_new_ones(
    client, auth, create_user, monkeypatch
):
    monkeypatch.setattr(roster, "PREVIEW_ROWS", 3)
    auth.login_as(create_user(role=Role.COORDINATOR))
    lines = [f"ny{n}@falun.se;Ny {n};employee" for n in range(6)] + ["fel-adress;Fel;employee"]
    csv = "email;name;role\n" + "\n".join(lines) + "\n"
    html = client.post(
        "/municipalities/2080/roster",
        data={"file": (io.BytesIO(csv.encode()), "lista.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "6 nya personer" in html and "1 avvisad rad" in html
    assert "ny0@falun.se" in html and "ny1@falun.se" in html and "ny2@falun.se" not in html
    assert html.index("fel-adress") < html.index("ny0@falun.se"), "the rejected row first"
    assert "Tabellen visar 3 av 7 rader" in html
