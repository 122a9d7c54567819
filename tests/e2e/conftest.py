"""Browser tests: the app served on a free local port, Debian's Chromium driven by Playwright."""

import os
import threading

import pytest
from werkzeug.serving import make_server

from app.core.roles import Role
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS


def pytest_collection_modifyitems(items):
    """Skip browser tests when Chromium is missing, unless CI demands them (REQUIRE_BROWSER)."""
    if CHROMIUM.exists() or os.environ.get("REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(reason="Debian's Chromium is not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium: Playwright cannot download its own browsers here."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def live_server(app, synced_courses):
    """Serve the test app (courses synced) from a thread on a free port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Polled every 20 ms for the shutdown (the default half second was a quarter s per test).
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture
def learner(create_user):
    """An agent in Falun who can log in with the test password."""
    return create_user(role=Role.AGENT, email="agent.e2e@falun.se", name="Åsa Öberg")
