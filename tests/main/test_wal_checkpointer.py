"""The SQLite WAL is checkpointed by a background task, not inside a request's commit."""
import os
import time

from sqlalchemy import text

from app import create_app
from app.core.database import start_wal_checkpointer
from app.extensions import db


def test_background_checkpointer_moves_committed_pages_into_the_database_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    path = tmp_path / "checkpoint.db"
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.session.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
        db.session.commit()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        size_before = os.path.getsize(path)
        for n in range(200):
            db.session.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": "x" * 500 + str(n)})
        db.session.commit()
        assert os.path.getsize(path) == size_before  # the rows are only in the WAL so far

        assert start_wal_checkpointer(app, interval=0.05)
        deadline = time.monotonic() + 10
        while os.path.getsize(path) == size_before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert os.path.getsize(path) > size_before
        db.engine.dispose()


def test_checkpointer_is_not_started_for_postgresql(app):
    postgres_app = create_app("testing", overrides={
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none"})
    assert start_wal_checkpointer(postgres_app) is False
