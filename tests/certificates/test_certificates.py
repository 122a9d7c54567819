"""Certificates: issued once on completion, correct PDFs, verifiable, printable, and private."""

import csv
import io
import re
import threading
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from app.certificates import queries
from app.certificates.codes import ALPHABET, display_code, new_code, normalise_code
from app.certificates.models import Certificate
from app.certificates.services import NotCompleted, issue_certificate
from app.core import qr as qr_module
from app.core.roles import Role
from app.courses.models import Course, CourseCompletion
from app.extensions import db
from app.training.models import Attendance, AttendanceStatus, SessionKind, TrainingSession
from app.training.services import create_session
from tests.support.jobs import download
from tests.support.pdf_tags import assert_accessible
from tests.support.quizzes import pass_quiz, read_all_lessons
from tests.support.training import certify_agent, details


def test_completing_a_course_issues_one_certificate(quiz_course, quiz, learner):
    read_all_lessons(learner, quiz_course)
    pass_quiz(learner, quiz)
    certificates = db.session.scalars(db.select(Certificate)).all()
    assert len(certificates) == 1
    certificate = certificates[0]
    assert (certificate.user_id, certificate.course_title, certificate.course_version) == (
        learner.id, "Provkurs", 1
    )  # fmt: skip
    assert certificate.municipality_id == learner.municipality_id
    assert issue_certificate(learner, quiz_course).id == certificate.id


def test_no_certificate_without_completion(quiz_course, learner):
    with pytest.raises(NotCompleted):
        issue_certificate(learner, quiz_course)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


@pytest.mark.real_commits
def test_concurrent_issuing_makes_exactly_one(app, make_certificate, create_user):
    learner = create_user()
    course = make_certificate.course
    db.session.add(CourseCompletion(user_id=learner.id, course_id=course.id, method="online"))
    db.session.commit()
    barrier = threading.Barrier(8, timeout=20)
    codes: list[str] = []

    def issue() -> None:
        with app.app_context():
            from app.auth.models import User

            user, own_course = db.session.get(User, learner.id), db.session.get(Course, course.id)
            barrier.wait()
            codes.append(issue_certificate(user, own_course).code)

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(codes) == 8 and len(set(codes)) == 1
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 1


def test_codes_are_short_unambiguous_and_random():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 12 and set(code) <= set(ALPHABET) for code in codes)
    assert not set("0O1I") & set(ALPHABET) and len(ALPHABET) == 32  # 12 × 5 = 60 bits
    for position in range(12):
        assert len({code[position] for code in codes}) == 32, "every symbol appears everywhere"
    assert normalise_code(" k7qm-x2rt-pa9d ") == "K7QMX2RTPA9D"
    assert display_code("K7QMX2RTPA9D") == "K7QM-X2RT-PA9D"
    for bad in ("K7QM-X2RT-PA9", "O7QMX2RTPA9D", "K7QMX2RTPA9D1", "", "ÅÄÖ"):
        assert normalise_code(bad) is None


def session_by(agent, attendee) -> TrainingSession:
    start = datetime.now(UTC) - timedelta(hours=2)
    session = TrainingSession(
        kind=SessionKind.END_USER, title="Resfria möten", agent_id=agent.id,
        municipality_id=agent.municipality_id, starts_at=start, ends_at=start + timedelta(hours=1),
    )  # fmt: skip
    db.session.add(session)
    db.session.flush()
    db.session.add(
        Attendance(session_id=session.id, user_id=attendee.id, status=AttendanceStatus.ATTENDED)
    )
    db.session.commit()
    return session


def test_pdf_prints_names_course_code_date_and_metadata(
    client, auth, quiz_course, quiz, create_user, monkeypatch
):
    learner = create_user(name="Åsa Öberg-Nguyễn", municipality_code="2023")
    agent = create_user(role=Role.AGENT, name="Łukasz Ärlig", municipality_code="2023")
    certify_agent(agent)
    session_by(agent, learner)
    pass_quiz(learner, quiz)
    certificate = db.session.scalar(db.select(Certificate).filter_by(user_id=learner.id))
    assert certificate.trainer_id == agent.id

    qr_targets = []
    real_widget = qr_module.QrCodeWidget
    monkeypatch.setattr(
        qr_module,
        "QrCodeWidget",
        lambda value, **kw: qr_targets.append(value) or real_widget(value, **kw),
    )
    auth.login_as(learner)
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"

    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height, "A4 landscape"
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in ("Åsa Öberg-Nguyễn", "Łukasz Ärlig", "Provkurs", "Malung-Sälen",
                     display_code(certificate.code), "Intyg"):  # fmt: skip
        assert expected in text, expected
    assert re.search(
        r"Datum: \d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december) \d{4}",
        text,
    )
    metadata = reader.metadata
    assert "Provkurs" in metadata.title and "Åsa Öberg-Nguyễn" in metadata.title
    assert "Vi möts resfritt" in metadata.author and metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
    assert_accessible(response.data)
    assert qr_targets == [f"http://localhost/verify/{certificate.code}"]


@pytest.mark.parametrize(
    ("role", "municipality", "status"),
    [
        ("holder", "2080", 200),
        (Role.EMPLOYEE, "2080", 404),
        (Role.AGENT, "2080", 404),
        (Role.COORDINATOR, "2080", 200),
        (Role.COORDINATOR, "2062", 404),
        (Role.ADMIN, None, 200),
        ("anonymous", None, 302),
    ],
)
def test_download_access(client, auth, create_user, make_certificate, role, municipality, status):
    holder = create_user(municipality_code="2080")
    certificate = make_certificate(holder)
    if role == "holder":
        auth.login_as(holder)
    elif role != "anonymous":
        auth.login_as(create_user(role=role, municipality_code=municipality or "2080"))
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == status


def test_verify_page_and_api_for_valid_revoked_and_unknown(client, create_user, make_certificate):
    holder = create_user(name="Karin Lund", email="karin.lund@falun.se")
    certificate = make_certificate(holder)
    page = client.get(f"/verify/{certificate.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Intyget är giltigt." in html
    assert "Karin Lund" in html and "Slutanvändarutbildning" in html
    assert "karin.lund" not in html
    api = client.get(f"/api/v1/certificates/{display_code(certificate.code).lower()}")
    assert api.status_code == 200
    body = api.get_json()
    assert body == {
        "valid": True, "holder": "Karin Lund", "course": "Slutanvändarutbildning",
        "issued_at": body["issued_at"], "revoked": False,
    }  # fmt: skip
    assert "email" not in str(body)

    certificate.revoked_at, certificate.revoked_reason = datetime.now(UTC), "Fel person"
    db.session.commit()
    assert "Intyget är återkallat." in client.get(f"/verify/{certificate.code}").get_data(
        as_text=True
    )
    assert client.get(f"/api/v1/certificates/{certificate.code}").get_json()["valid"] is False

    unknown = "ABCDEFGHJKLM" if certificate.code != "ABCDEFGHJKLM" else "MLKJHGFEDCBA"
    assert client.get(f"/verify/{unknown}").status_code == 404
    assert "Okänd kod." in client.get(f"/verify/{unknown}").get_data(as_text=True)
    assert client.get("/verify/<script>").status_code == 404
    missing = client.get(f"/api/v1/certificates/{unknown}")
    assert missing.status_code == 404 and missing.get_json()["valid"] is False


def test_verify_form_redirects_to_the_code(client):
    response = client.get("/verify?code=k7qm-x2rt-pa9d")
    assert response.status_code == 302 and response.location == "/verify/K7QMX2RTPA9D"
    bad = client.get("/verify?code=nonsens")
    assert bad.status_code == 422 and "12 tecken" in bad.get_data(as_text=True)


def test_verification_is_rate_limited(make_app):
    with make_app(RATELIMIT_ENABLED=True) as app:
        client = app.test_client()
        statuses = [client.get("/verify/ABCDEFGHJKLM").status_code for _ in range(31)]
        assert statuses[:30] == [404] * 30 and statuses[30] == 429
        assert client.get("/api/v1/certificates/ABCDEFGHJKLM").status_code in (404, 429)


def test_my_certificates_page(client, auth, create_user, make_certificate):
    holder = create_user()
    certificate = make_certificate(holder)
    auth.login_as(holder)
    html = client.get("/certificates/mine").get_data(as_text=True)
    assert f"/certificates/{certificate.id}.pdf" in html
    assert f"/verify/{certificate.code}" in html


def test_coordinator_list_is_scoped_and_filtered(client, auth, create_user, make_certificate):
    old = make_certificate(
        create_user(name="Gammal Falubo"), issued_at=datetime(2026, 1, 15, tzinfo=UTC)
    )
    make_certificate(create_user(name="Ny Falubo"), issued_at=datetime(2026, 6, 15, tzinfo=UTC))
    make_certificate(create_user(name="Morabo", municipality_code="2062"))
    auth.login_as(create_user(role=Role.COORDINATOR))
    html = client.get("/certificates/").get_data(as_text=True)
    assert "Gammal Falubo" in html and "Ny Falubo" in html and "Morabo" not in html
    html = client.get("/certificates/?issued_to=2026-03-01").get_data(as_text=True)
    assert "Gammal Falubo" in html and "Ny Falubo" not in html
    assert old.code in html.replace("-", "")
    bad = client.get("/certificates/?issued_from=2026-05-01&issued_to=2026-01-01")
    assert bad.status_code == 422 and "Slutdatum kan inte vara före startdatum." in bad.get_data(
        as_text=True
    )
    # A coordinator cannot widen the scope with a municipality filter.
    mora = db.session.scalar(
        db.select(Certificate).join(Certificate.holder).where(Certificate.holder.has(name="Morabo"))
    )
    html = client.get(f"/certificates/?municipality={mora.municipality_id}").get_data(as_text=True)
    assert "Morabo" not in html


@pytest.mark.real_commits
def test_print_pack_has_one_page_per_selected_valid_certificate(
    client, auth, create_user, make_certificate, finish_job
):
    for number in range(5):
        make_certificate(create_user(name=f"Falubo {number}"))
    revoked = make_certificate(create_user(name="Återkallad"))
    revoked.revoked_at = datetime.now(UTC)
    make_certificate(create_user(name="Morabo", municipality_code="2062"))
    db.session.commit()
    auth.login_as(create_user(role=Role.COORDINATOR))
    page = client.get("/certificates/").get_data(as_text=True)
    assert 'action="/certificates/print-pack"' in page
    response = finish_job(client.post("/certificates/print-pack"))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    response.close()
    assert len(reader.pages) == 5
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Morabo" not in text and "Återkallad" not in text
    assert len(assert_accessible(response.data).root.find("Sect")) == 5


@pytest.mark.real_commits
def test_csv_lists_the_same_selection_safely_for_excel(client, auth, create_user, make_certificate):
    make_certificate(create_user(name='=HYPERLINK("http://evil.example")'))
    make_certificate(create_user(name="Åsa Öberg"))
    make_certificate(create_user(name="Morabo", municipality_code="2062"))
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = download(client, "/certificates/list.csv")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Verifieringskod", "Namn", "E-post"]
    names = sorted(row[1] for row in rows[1:])
    assert names == ['\'=HYPERLINK("http://evil.example")', "Åsa Öberg"]
    assert "Morabo" not in response.data.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("role", "municipality", "status"),
    [(Role.COORDINATOR, "2080", 302), (Role.ADMIN, None, 302), (Role.COORDINATOR, "2062", 404),
     (Role.EMPLOYEE, "2080", 403), (Role.AGENT, "2080", 403)],
)  # fmt: skip
def test_revoking(client, auth, create_user, make_certificate, role, municipality, status):
    certificate = make_certificate(create_user(municipality_code="2080"))
    auth.login_as(create_user(role=role, municipality_code=municipality or "2080"))
    response = client.post(
        f"/certificates/{certificate.id}/revoke", data={"reason": "Utfärdat av misstag"}
    )
    assert response.status_code == status
    db.session.refresh(certificate)
    assert certificate.revoked is (status == 302)
    if status == 302:
        assert certificate.revoked_reason == "Utfärdat av misstag"
        assert db.session.get(Certificate, certificate.id) is not None, "kept on record"


def test_revoking_needs_a_reason(client, auth, create_user, make_certificate):
    certificate = make_certificate(create_user())
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "  "})
    assert response.status_code == 422 and "Skriv varför intyget återkallas." in response.get_data(
        as_text=True
    )
    db.session.refresh(certificate)
    assert not certificate.revoked


def test_cli_print_pack(runner, create_user, make_certificate, tmp_path):
    for _ in range(3):
        make_certificate(create_user())
    output = tmp_path / "falun.pdf"
    result = runner.invoke(
        args=["certificates", "print", "--municipality", "2080", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert len(PdfReader(output).pages) == 3
    result = runner.invoke(args=["certificates", "print", "--municipality", "2080", "-o", str(output),
                                 "--course", "end-user", "--since", "2020-01-01"])  # fmt: skip
    assert result.exit_code == 0 and "3 certificate(s)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "9999"], "unknown municipality code '9999'"),
        (["--municipality", "2080", "--course", "okand"], "unknown course 'okand'"),
        (["--municipality", "2080", "--since", "igår"], "--since must be a date"),
        (["--municipality", "2062"], "no valid certificates in Mora match"),
    ],
)
def test_cli_print_pack_errors(runner, create_user, make_certificate, tmp_path, args, message):
    make_certificate(create_user())
    output = tmp_path / "pack.pdf"
    result = runner.invoke(args=["certificates", "print", "-o", str(output), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert not output.exists()


def test_the_session_filter_offers_the_latest_sessions_and_the_one_asked_for(
    client, auth, create_user, make_certificate, certified_agent, monkeypatch
):
    monkeypatch.setattr(queries, "SESSION_CHOICES", 1)
    older = create_session(certified_agent, details(start_in=timedelta(days=2), title="Äldre"))
    newer = create_session(certified_agent, details(start_in=timedelta(days=9), title="Nyare"))
    make_certificate(create_user(name="Anna Falubo"), session=older)
    make_certificate(create_user(name="Bo Falubo"), session=newer)
    auth.login_as(create_user(role=Role.COORDINATOR))
    offered = client.get("/certificates/").get_data(as_text=True)
    assert "Nyare (" in offered and "Äldre (" not in offered
    asked = client.get(f"/certificates/?session={older.id}")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Äldre (" in html
    assert "Anna Falubo" in html and "Bo Falubo" not in html


def test_cli_print_pack_above_a_part_writes_a_zip_of_parts_like_the_web_job(
    runner, create_user, make_certificate, tmp_path, monkeypatch
):
    monkeypatch.setattr("app.certificates.cli.PART_SIZE", 2)
    monkeypatch.setattr("app.certificates.services.PART_SIZE", 2)
    for _ in range(3):
        make_certificate(create_user())
    output = tmp_path / "falun.pdf"
    result = runner.invoke(
        args=["certificates", "print", "--municipality", "2080", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    archive_path = tmp_path / "falun.zip"
    assert f"to {archive_path} (2 PDFs of up to 2 pages)" in result.output
    assert not output.exists()
    with zipfile.ZipFile(archive_path) as archive:
        names = sorted(archive.namelist())
        assert names == ["intyg-del-01.pdf", "intyg-del-02.pdf"]
        pages = [len(PdfReader(io.BytesIO(archive.read(name))).pages) for name in names]
    assert pages == [2, 1]
