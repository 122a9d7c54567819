"""Shared fixtures: the app on a fresh database, factories for people, one login helper."""

import copy
import os
import sqlite3
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.globals import _cv_app
from flask.testing import FlaskClient

from app import create_app
from app.auth.models import User, hash_password
from app.config import TestConfig, normalise_database_url
from app.core.roles import Role
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.services import seed_municipalities

pytest_plugins = [
    "tests.quizzes.fixtures",
    "tests.training.fixtures",
    "tests.reports.fixtures",
    "tests.jobs.fixtures",
    "tests.certificates.fixtures",
]  # used beyond their folders

ROOT = Path(__file__).resolve().parent.parent
COURSES_DIR = ROOT / "courses"
PASSWORD = "rätt-lösenord-123"


def database_url(tmp_path: Path) -> str:
    """PostgreSQL when TEST_DATABASE_URL is set (CI runs both), else a fresh SQLite file.

    Under pytest-xdist each worker gets its own PostgreSQL database (see `_worker_database`).
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _worker_database(url, worker) if worker else url


@cache
def _worker_database(base_url: str, worker: str) -> str:
    """The URL of database `<base>_<worker>` (e.g. test_gw0) on the base URL's server.

    Created when missing, from a connection to the base database; kept between runs.
    """
    url = sa.make_url(normalise_database_url(base_url))
    name = f"{url.database}_{worker}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = sa.text("SELECT 1 FROM pg_database WHERE datname = :name")
            if connection.scalar(exists, {"name": name}) is None:
                quoted = connection.dialect.identifier_preparer.quote(name)
                connection.exec_driver_sql(f"CREATE DATABASE {quoted}")
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, _connection_record) -> None:
    """Test databases are thrown away: let SQLite skip its fsyncs (durability only, same SQL).

    Each test creates and drops every table, one fsync per statement; on a slow disk that was
    a large part of the suite's time.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


class RequestIsolatedClient(FlaskClient):
    """A test client whose requests each get their own app context, as in production.

    The `app` fixture keeps an app context open so tests can use `db.session`; without this,
    requests would share that context's `g`, session and cached locale across requests.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@contextmanager
def app_with_empty_database(tmp_path: Path, **overrides):
    """Create the app with fresh tables inside an app context; drop them afterwards."""
    settings = {"DATABASE_URL": database_url(tmp_path), "COURSES_DIR": str(COURSES_DIR),
                "JOBS_DIR": str(tmp_path / "jobs")}  # fmt: skip
    app = create_app(TestConfig, {**settings, **overrides})
    app.test_client_class = RequestIsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            yield app
        finally:
            if "jobs" in app.extensions:  # the in-process job thread: let it finish first
                app.extensions["jobs"].shutdown(wait=True)
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    """The app with empty tables, dropped again after the test."""
    with app_with_empty_database(tmp_path) as app:
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


@cache
def _hash(password: str) -> str:
    return hash_password(password)  # scrypt is slow on purpose: hash each password once


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
            password_hash=_hash(password),
            active=active,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return create


class AuthActions:
    """The one place that logs a user in and out."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, next: str = "", follow=False):
        data = {"email": email, "password": password}
        if next:
            data["next"] = next
        return self._client.post("/login", data=data, follow_redirects=follow)

    def login_as(self, user: User):
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self._client.post("/logout")


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
