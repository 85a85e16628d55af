"""Migrations build the whole schema from empty, on SQLite and on PostgreSQL, and match
the models exactly (no difference left for autogenerate to find)."""
import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from contest import create_app
from contest.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if not pg_url:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    schema = f"mig_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in pg_url else "?"
    yield f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    engine.dispose()


@pytest.mark.postgres
def test_migrations_upgrade_from_empty_and_match_models(empty_database_url, instance_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        db.engine.dispose()
    assert diff == []
    assert set(db.metadata.tables) <= tables
