"""Engine set-up: SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL needs nothing."""
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def configure_engine_events(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from .. import extensions

    with app.app_context():
        engine: Engine = extensions.db.engine
        if not getattr(engine, "_museum_pragmas", False):
            event.listen(engine, "connect", _sqlite_pragmas)
            engine._museum_pragmas = True


def is_postgres() -> bool:
    from ..extensions import db

    return db.engine.dialect.name == "postgresql"
