"""Jobs fixtures: finish a started job and fetch its file."""

import pytest

from tests.support.jobs import read_whole, wait_for_job


@pytest.fixture
def finish_job(client):
    """Factory: finish_job(start_response) -> the downloaded file's response."""

    def finish(started):
        state = wait_for_job(client, started)
        assert state["state"] == "done", state
        return read_whole(client.get(state["download"]))

    return finish
