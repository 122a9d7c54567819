"""Background jobs: the print pack off the request, on a thread or on RQ, for its owner only."""

import io
import os
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader

from app.certificates import queries as certificate_queries
from app.certificates import services as certificate_services
from app.core.jobs import services as jobs
from app.core.jobs.models import Job, JobState
from app.core.roles import Role
from app.core.time import utcnow
from app.extensions import db
from tests.support.jobs import wait_for_job


@pytest.mark.real_commits
def test_a_large_print_pack_is_a_zip_of_pdfs_of_part_size_each(
    client, auth, create_user, make_certificate, finish_job, monkeypatch
):
    monkeypatch.setattr(certificate_services, "PART_SIZE", 2)
    for number in range(5):
        make_certificate(create_user(name=f"Falubo {number}"))
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = finish_job(client.post("/certificates/print-pack"))
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert names == ["intyg-del-01.pdf", "intyg-del-02.pdf", "intyg-del-03.pdf"]
    pages = [len(PdfReader(io.BytesIO(archive.read(name))).pages) for name in names]
    assert pages == [2, 2, 1]
    response.close()


@pytest.mark.real_commits
def test_progress_is_written_while_the_job_still_reads_its_rows(
    client, auth, create_user, make_certificate, finish_job, monkeypatch
):
    # Batches of 2 keep the read open across progress writes (as 500 do for a big pack);
    # SQLite without its write-ahead log refused the write ("database is locked").
    monkeypatch.setattr(certificate_queries, "STREAM_BATCH", 2)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    for number in range(7):
        make_certificate(create_user(name=f"Falubo {number}"))
    auth.login_as(create_user(role=Role.COORDINATOR))
    response = finish_job(client.post("/certificates/print-pack"))
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 7


@pytest.mark.real_commits
def test_only_the_person_who_started_a_job_sees_or_downloads_it(
    client, auth, create_user, make_certificate
):
    make_certificate(create_user(name="Falubo"))
    auth.login_as(create_user(role=Role.COORDINATOR))
    started = client.post("/certificates/print-pack")
    state = wait_for_job(client, started)
    assert state["state"] == "done" and state["filename"].endswith(".pdf")
    page = client.get(started.location).get_data(as_text=True)
    assert "Klart: filen kan laddas ner." in page and state["download"] in page
    auth.logout()
    auth.login_as(create_user(role=Role.COORDINATOR, email="koll@falun.se"))
    for path in (started.location, f"{started.location}.json", state["download"]):
        assert client.get(path).status_code == 404
    auth.logout()
    auth.login_as(create_user(role=Role.ADMIN))
    assert client.get(state["download"]).status_code == 404


@pytest.mark.real_commits
def test_a_failed_job_says_so_and_keeps_no_file(
    client, auth, create_user, make_certificate, monkeypatch
):
    def broken(job, path, progress):
        path.write_bytes(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setitem(jobs.KINDS, "print_pack", jobs.Kind(broken, "Utskriftspaket med intyg"))
    make_certificate(create_user(name="Falubo"))
    auth.login_as(create_user(role=Role.COORDINATOR))
    started = client.post("/certificates/print-pack")
    state = wait_for_job(client, started)
    assert state == {**state, "state": "failed", "download": None}
    page = client.get(started.location)
    assert page.status_code == 200
    assert "Det gick inte att skapa filen." in page.get_data(as_text=True)
    assert list(jobs.jobs_dir().iterdir()) == []


@pytest.mark.real_commits
def test_starting_a_job_clears_those_older_than_a_day(
    app, client, auth, create_user, make_certificate
):
    coordinator = create_user(role=Role.COORDINATOR)
    old = Job(
        kind="print_pack",
        owner_id=coordinator.id,
        state=JobState.DONE,
        total=1,
        stored_as="1-old",
        filename="gammal.pdf",
        created_at=utcnow() - timedelta(days=2),
    )
    stuck = Job(kind="print_pack", owner_id=coordinator.id, state=JobState.RUNNING, total=1,
                created_at=utcnow() - timedelta(hours=2))  # fmt: skip
    db.session.add_all([old, stuck])
    db.session.commit()
    old_id, stuck_id = old.id, stuck.id
    old_file = jobs.jobs_dir() / "1-old"
    old_file.write_bytes(b"%PDF-")
    two_days_ago = (utcnow() - timedelta(days=2)).timestamp()
    os.utime(old_file, (two_days_ago, two_days_ago))
    make_certificate(create_user(name="Falubo"))
    auth.login_as(coordinator)
    wait_for_job(client, client.post("/certificates/print-pack"))
    db.session.expire_all()
    assert db.session.get(Job, old_id) is None and not old_file.exists()
    assert db.session.get(Job, stuck_id).state == JobState.FAILED


def test_without_redis_the_worker_command_refuses(runner):
    result = runner.invoke(args=["jobs", "work", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


@pytest.mark.real_commits
def test_a_queue_that_does_not_answer_fails_the_job_with_a_clear_message(
    app, client, auth, create_user, make_certificate
):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    make_certificate(create_user(name="Anna Falubo"))
    auth.login_as(create_user(role=Role.COORDINATOR))
    started = client.post("/certificates/print-pack")
    assert started.status_code == 302
    page = client.get(started.location)
    assert page.status_code == 200
    assert "Bakgrundsjobben kan inte startas just nu." in page.get_data(as_text=True)
