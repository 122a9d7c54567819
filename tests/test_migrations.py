"""Migrations: upgrade to head and downgrade to base both work, and match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.config import TestConfig
from app.extensions import db
from tests.support.apps import fresh_database_url


@pytest.fixture
def empty_app(tmp_path):
    app = create_app(TestConfig, {"DATABASE_URL": fresh_database_url(tmp_path)})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        yield app
        downgrade(revision="base")
        db.engine.dispose()


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_then_downgrade(empty_app):
    upgrade()
    assert set(db.metadata.tables) <= tables()
    downgrade(revision="base")
    assert tables() == set()
    upgrade()
    assert set(db.metadata.tables) <= tables()


def test_models_and_migrations_agree(empty_app):
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
