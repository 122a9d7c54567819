"""The app under test and its database.

Each test process (pytest-xdist worker) creates the tables once, on a database of its own, and
builds one app that its tests share. A test then works inside one transaction on one connection,
rolled back when it ends, and the app's settings are restored. Every session the test's thread
opens (the test's own, and one per request) joins that transaction with a savepoint, so
`db.session.commit()` and `rollback()` behave as they do on their own.

Tests whose database is used from other threads or processes (a job's thread, a browser's
server, simultaneous submissions) are marked `real_commits`: they get a new app on a fresh
database whose tables they create and drop, as every test once did.
"""

import os
import sqlite3
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import jinja2
import jinja2.bccache
import sqlalchemy as sa
from flask import Flask, current_app
from flask.globals import _cv_app
from flask.testing import FlaskClient

from app import create_app
from app.config import Config, TestConfig, normalise_database_url
from app.extensions import db
from tests.support import COURSES_DIR

JOINED = "tests.joined_connection"  # app.extensions: the connection a rolled-back test joins
CONFIG = "tests.config"  # app.extensions: the settings a rolled-back test's changes are undone to
HARNESS_SAVEPOINTS = "tests.harness_savepoints"  # connection.info: the savepoints sessions open
REAL_COMMITS = "mark the test @pytest.mark.real_commits to give it a database of its own"


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, _connection_record) -> None:
    """Test databases are thrown away: let SQLite skip its fsyncs (durability only, same SQL)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


# --- Where the tables live -------------------------------------------------------------------


def server_database(suffix: str = "") -> str | None:
    """The URL of this process's PostgreSQL database when TEST_DATABASE_URL is set, else None.

    Named after the base URL's database, the xdist worker and the suffix (`test_gw0`,
    `test_gw0_fresh`); created when missing and kept between runs.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _created(normalise_database_url(base), "_".join(filter(None, [worker, suffix])))


@cache
def _created(base_url: str, suffix: str) -> str:
    """The URL of database `<base>_<suffix>` (the base itself without a suffix), created from a
    connection to the base database when missing."""
    url = sa.make_url(base_url)
    if not suffix:
        return url.render_as_string(hide_password=False)
    name = f"{url.database}_{suffix}"
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


def fresh_database_url(tmp_path: Path) -> str:
    """A database for a test that creates and drops its own tables: a new SQLite file, or this
    process's `_fresh` PostgreSQL database."""
    return server_database("fresh") or f"sqlite:///{tmp_path / 'test.db'}"


def shared_database_url(directory: Path) -> str:
    """The database whose tables this process's rolled-back tests share (created once)."""
    return server_database() or f"sqlite:///{directory / 'shared.db'}"


def create_tables(url: str) -> None:
    """Create every table on `url`, dropping first what an earlier run left there."""
    app = create_app(TestConfig, {"DATABASE_URL": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()


# --- The app ---------------------------------------------------------------------------------


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


class SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for every app of the test process (each app would
    otherwise compile every template it renders again)."""

    def __init__(self):
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = SharedBytecodeCache()


def new_app(url: str, jobs: Path, config: type[Config] = TestConfig, **overrides) -> Flask:
    """The app on `url`, its job files in `jobs`, with the test client above."""
    settings = {"DATABASE_URL": url, "COURSES_DIR": str(COURSES_DIR), "JOBS_DIR": str(jobs)}
    app = create_app(config, {**settings, **overrides})
    app.test_client_class = RequestIsolatedClient
    app.jinja_env.bytecode_cache = TEMPLATES
    return app


def _finish_jobs(app: Flask) -> None:
    """Let the in-process job thread finish what it started."""
    if "jobs" in app.extensions:
        app.extensions["jobs"].shutdown(wait=True)


@contextmanager
def fresh_app(tmp_path: Path, config: type[Config] = TestConfig, **overrides):
    """A new app inside an app context, on fresh tables: created for it on SQLite and dropped
    afterwards; on PostgreSQL emptied, their ids starting at 1 again (see `_fresh_tables`)."""
    app = new_app(fresh_database_url(tmp_path), tmp_path / "jobs", config, **overrides)
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        if sqlite:
            db.drop_all()
            db.create_all()
        else:
            _fresh_tables()
        try:
            yield app
        finally:
            _finish_jobs(app)
            db.session.remove()
            if sqlite:
                db.drop_all()
            db.engine.dispose()


_SCHEMAS_CREATED: set[str] = set()  # the _fresh PostgreSQL databases this process set up
RESTART_SEQUENCES = """
DO $$ DECLARE s record; BEGIN
  FOR s IN SELECT sequence_schema, sequence_name FROM information_schema.sequences LOOP
    EXECUTE format('ALTER SEQUENCE %I.%I RESTART', s.sequence_schema, s.sequence_name);
  END LOOP;
END $$
"""


def _fresh_tables() -> None:
    """Every table empty with its ids restarted, as if just created (creating and dropping 28
    tables took PostgreSQL a second and a half a test; this takes a few milliseconds). The first
    time in a test process the tables are created anew, later only what is missing (a migration
    test drops them)."""
    url = db.engine.url.render_as_string(hide_password=False)
    if url not in _SCHEMAS_CREATED:
        db.drop_all()
        _SCHEMAS_CREATED.add(url)
    db.create_all()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        connection.execute(sa.text(RESTART_SEQUENCES))


def for_rolled_back_tests(app: Flask) -> Flask:
    """Prepare an app (on shared tables) for tests in transactions rolled back at their end."""
    join_sessions_to_the_test_transaction()
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _let_sqlalchemy_begin(db.engine)
    app.extensions["jobs"] = NoJobThread()
    app.extensions[CONFIG] = dict(app.config)
    return app


@contextmanager
def rolled_back(app: Flask):
    """The app (see for_rolled_back_tests) inside an app context, every session of this thread
    in one transaction, rolled back at the end; the app's settings are restored then too."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        app.extensions[JOINED] = (connection, threading.get_ident())
        try:
            yield app
        finally:
            db.session.remove()
            del app.extensions[JOINED]
            transaction.rollback()
            connection.close()
            app.config.clear()
            app.config.update(app.extensions[CONFIG])


@contextmanager
def rolled_back_app(url: str, jobs: Path, config: type[Config] = TestConfig, **overrides):
    """A new app on the shared tables at `url`, as `rolled_back` gives it."""
    app = for_rolled_back_tests(new_app(url, jobs, config, **overrides))
    try:
        with rolled_back(app):
            yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def _let_sqlalchemy_begin(engine: sa.Engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN (the
    SQLAlchemy recipe "Serializable isolation / Savepoints / Transactional DDL")."""

    @sa.event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _connection_record) -> None:
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")


class NoJobThread:
    """In place of the app's job thread, which could not see the test's transaction: starting a
    job says which marker the test needs, at once rather than when the job never ends."""

    def submit(self, *_args, **_kwargs):
        raise RuntimeError(f"a job's thread cannot see the test's transaction: {REAL_COMMITS}")

    def shutdown(self, wait: bool = True) -> None:
        """Nothing ever ran."""


# --- Sessions join the test's transaction ----------------------------------------------------


def join_sessions_to_the_test_transaction() -> None:
    """Make `db.session` join a rolled-back app's connection with a savepoint of its own.

    Sessions of apps without one (fresh databases, the app's CLI) use the engine as ever.
    """
    factory = db.session.session_factory
    if getattr(factory.class_, "joins_test_transactions", False):
        return

    class JoinedSession(factory.class_):
        """Flask-SQLAlchemy's session, bound to the test's connection when there is one."""

        joins_test_transactions = True

        def get_bind(self, *args, **kwargs):
            joined = current_app.extensions.get(JOINED)
            if joined is None:
                return super().get_bind(*args, **kwargs)
            connection, thread = joined
            if threading.get_ident() != thread:
                raise RuntimeError(f"another thread used the test's transaction: {REAL_COMMITS}")
            return connection

    @sa.event.listens_for(JoinedSession, "after_begin")
    def _remember_harness_savepoint(session, transaction, connection) -> None:
        """Note the savepoint that stands for this session's own transaction (QueryCounter
        leaves these out: without the test's transaction they would be BEGIN and COMMIT)."""
        if transaction.parent is None and connection.in_nested_transaction():
            name = connection.get_nested_transaction()._savepoint
            connection.info.setdefault(HARNESS_SAVEPOINTS, set()).add(name)

    factory.class_ = JoinedSession
    factory.kw["join_transaction_mode"] = "create_savepoint"
