"""The Alembic migrations build exactly the schema the models describe (no drift)."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from app.extensions import db

from .databases import temporary_database_url


@pytest.fixture
def empty_database_url(tmp_path):
    with temporary_database_url(tmp_path, "migrations") as url:
        yield url


def test_upgrade_head_matches_the_models(empty_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == [], f"Models and migrations differ: {differences}"
