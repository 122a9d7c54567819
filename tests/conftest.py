"""Shared fixtures: the app on a fresh database, factories for people, one login helper."""

import os
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient

from app import create_app
from app.auth.models import Role, User, hash_password
from app.config import TestConfig
from app.extensions import db
from app.municipalities.models import Municipality
from app.municipalities.services import seed_municipalities

pytest_plugins = [
    "tests.quizzes.fixtures",
    "tests.training.fixtures",
    "tests.reports.fixtures",
]  # used beyond their folders

ROOT = Path(__file__).resolve().parent.parent
COURSES_DIR = ROOT / "courses"
PASSWORD = "rätt-lösenord-123"


def database_url(tmp_path: Path) -> str:
    """PostgreSQL when TEST_DATABASE_URL is set (CI runs both), else a fresh SQLite file."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


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
    settings = {"DATABASE_URL": database_url(tmp_path), "COURSES_DIR": str(COURSES_DIR)}
    app = create_app(TestConfig, {**settings, **overrides})
    app.test_client_class = RequestIsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            yield app
        finally:
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


@pytest.fixture
def synced_courses(app):
    """The real course files, synced."""
    from app.courses.services import sync_courses

    return sync_courses(COURSES_DIR)
