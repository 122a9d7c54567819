"""Jobs for tests: follow a started job to its end as the person's browser would."""

import re
import time
from concurrent.futures import ThreadPoolExecutor

JOB_PAGE = re.compile(r"^/jobs/(\d+)$")


def wait_for_job(client, started, seconds: float = 30.0):
    """Follow the redirect a start gave to the job's page, poll its state until it has
    finished, and return the state (the JSON the page's script reads)."""
    assert started.status_code == 302, started.get_data(as_text=True)[:500]
    match = JOB_PAGE.match(started.location)
    assert match, started.location
    _let_the_job_thread_catch_up(client.application, seconds)
    deadline = time.monotonic() + seconds
    while True:
        state = client.get(f"{started.location}.json").get_json()
        if state["state"] in ("done", "failed") or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def _let_the_job_thread_catch_up(app, seconds: float) -> None:
    """Wait until the app's own job thread has done what was handed to it before now (it runs
    jobs one after the other), rather than sleeping between polls while it works."""
    runner = app.extensions.get("jobs")
    if isinstance(runner, ThreadPoolExecutor):
        runner.submit(lambda: None).result(timeout=seconds)


def download(client, path: str):
    """Start the export at `path` as its button does, wait for the job, return the file."""
    state = wait_for_job(client, client.post(path))
    assert state["state"] == "done", state
    return read_whole(client.get(state["download"]))


def read_whole(response):
    """The response read whole and closed (it streams from the job's file)."""
    response.get_data()
    response.close()
    return response
