"""Shared fixtures: the app (in a transaction rolled back after each test, or on a database of
its own for a test marked `real_commits`), factories for people, one login helper; markers."""

import copy
from functools import partial
from pathlib import Path

import pytest

from app.auth.models import User
from app.core.roles import Role
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.services import seed_municipalities
from tests.support import COURSES_DIR, PASSWORD
from tests.support.apps import (
    create_tables,
    for_rolled_back_tests,
    fresh_app,
    new_app,
    rolled_back,
    rolled_back_app,
    shared_database_url,
)
from tests.support.auth import AuthActions, password_hash

pytest_plugins = [
    "tests.quizzes.fixtures",
    "tests.training.fixtures",
    "tests.reports.fixtures",
    "tests.jobs.fixtures",
    "tests.certificates.fixtures",
]  # used beyond their folders

TESTS = Path(__file__).resolve().parent
FOLDER_MARKERS = {"e2e": "e2e", "deploy": "deploy"}  # every test in the folder
SLOW = ("deploy", "property", "e2e", "fuzz")  # left out by `make test-fast`; longest first


def pytest_collection_modifyitems(items):
    """Mark the browser and deploy folders' tests, and every slow kind of test `slow`; put the
    slow ones first, the longest kinds first, so that no worker starts one when the rest is done.

    A browser test's server answers from threads of its own: it needs real commits.
    """
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0]
        if folder in FOLDER_MARKERS:
            item.add_marker(FOLDER_MARKERS[folder])
        if folder == "e2e":
            item.add_marker("real_commits")
        if any(item.get_closest_marker(name) for name in SLOW):
            item.add_marker("slow")
    items.sort(key=_longest_first)


def _longest_first(item) -> int:
    """The position of the item's kind in SLOW (deploy tests take longest), others last."""
    return next((n for n, name in enumerate(SLOW) if item.get_closest_marker(name)), len(SLOW))


@pytest.fixture(scope="session")
def shared_database(tmp_path_factory) -> str:
    """This process's database with every table, created once; tests roll back what they do."""
    url = shared_database_url(tmp_path_factory.getbasetemp())
    create_tables(url)
    return url


@pytest.fixture(scope="session")
def shared_app(shared_database, tmp_path_factory):
    """The app the tests of this process share, on the shared database (see `app`)."""
    app = for_rolled_back_tests(new_app(shared_database, tmp_path_factory.getbasetemp() / "jobs"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app(request, tmp_path_factory):
    """Factory: make_app(config=TestConfig, **overrides), a context manager giving a new app in
    an app context: rolled back at the end, or on fresh tables for a test marked `real_commits`."""
    if request.node.get_closest_marker("real_commits"):
        return partial(fresh_app, request.getfixturevalue("tmp_path"))
    jobs = tmp_path_factory.getbasetemp() / "jobs"
    return partial(rolled_back_app, request.getfixturevalue("shared_database"), jobs)


@pytest.fixture
def app(request):
    """The app with empty tables, in an app context.

    Shared by the tests of this process, each in a transaction rolled back at its end (settings
    changed are restored); a new app for a test marked `real_commits` (fresh tables) or
    `own_app` (the test changes the app itself, e.g. adds a route).
    """
    if request.node.get_closest_marker("real_commits") or request.node.get_closest_marker(
        "own_app"
    ):
        with request.getfixturevalue("make_app")() as app:
            yield app
    else:
        with rolled_back(request.getfixturevalue("shared_app")) as app:
            yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def municipalities(app) -> dict[str, Municipality]:
    """The 15 municipalities, by code."""
    seed_municipalities()
    return {m.code: m for m in db.session.scalars(db.select(Municipality))}


@pytest.fixture
def create_user(municipalities):
    """Factory: create_user(role, municipality_code="2080", email=None, name=None) -> User."""
    counter = iter(range(1, 100_000))

    def create(
        role: str = Role.EMPLOYEE,
        municipality_code: str | None = "2080",
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        active: bool = True,
    ) -> User:
        number = next(counter)
        user = User(
            email=email or f"{role}{number}@example.se",
            name=name or f"Testperson {number}",
            role=role,
            municipality=None if role == Role.ADMIN else municipalities[municipality_code],
            password_hash=password_hash(password),
            active=active,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return create


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture(scope="session")
def parsed_courses():
    """The real course files, read, validated and rendered once per test session (per worker)."""
    from app.courses.loader import load_courses

    specs, errors = load_courses(COURSES_DIR)
    assert not errors, errors
    return specs


@pytest.fixture
def synced_courses(app, parsed_courses):
    """The real course files, synced (the files parsed once; written into each test's tables)."""
    from app.courses.services import write_courses

    return write_courses(copy.deepcopy(parsed_courses))
