"""Jobs on RQ (REDIS_URL set): queued until `flask jobs work` does them, access checked then."""

import io
import os
import uuid

import pytest
from pypdf import PdfReader
from redis import Redis

from app.core.roles import Role
from app.extensions import db

pytestmark = pytest.mark.real_commits  # the worker writes job states on a connection of its own
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def app(make_app):
    """The app with REDIS_URL set and a queue of its own, emptied afterwards."""
    queue = f"test-jobs-{uuid.uuid4().hex}"
    with make_app(REDIS_URL=REDIS_URL, JOBS_QUEUE=queue) as app:
        yield app
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(f"rq:*{queue}*"):
        redis.delete(key)


def test_the_job_waits_for_the_worker_which_checks_access_again(
    app, client, auth, create_user, make_certificate
):
    make_certificate(create_user(name="Anna Falubo"))
    coordinator = create_user(role=Role.COORDINATOR)
    leaver = create_user(role=Role.COORDINATOR, email="slutar@falun.se")

    auth.login_as(coordinator)
    started = client.post("/certificates/print-pack")
    assert client.get(f"{started.location}.json").get_json()["state"] == "queued"
    assert "I kö – startar strax." in client.get(started.location).get_data(as_text=True)
    auth.logout()
    auth.login_as(leaver)
    refused = client.post("/certificates/print-pack")
    leaver.role = Role.EMPLOYEE  # no longer a coordinator when the worker gets to the job
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["jobs", "work", "--burst"])
    assert result.exit_code == 0, result.output
    auth.logout()
    auth.login_as(coordinator)
    state = client.get(f"{started.location}.json").get_json()
    assert state["state"] == "done"
    download = client.get(state["download"])
    assert len(PdfReader(io.BytesIO(download.data)).pages) == 1
    download.close()
    auth.logout()
    auth.login_as(leaver)
    page = client.get(refused.location).get_data(as_text=True)
    assert "Du har inte längre behörighet att skriva ut intyg." in page
