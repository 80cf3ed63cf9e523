"""Engine set-up: SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL needs nothing.

On a green-thread server (eventlet) SQLite's automatic WAL checkpoint runs inside whichever
commit crosses the threshold, copying pages and fsyncing in C while the hub waits, so every socket
stalls for tens of milliseconds every few hundred messages. `start_wal_checkpointer` (started by
wsgi.py only when it runs such a server) checkpoints from a real thread every second instead, so
the WAL stays short and the commit-time checkpoint is left as a rarely-used safety net.
"""
import sqlite3

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


def start_wal_checkpointer(app: Flask, interval: float = 1.0) -> bool:
    """Checkpoint the SQLite WAL off the hub every `interval` seconds; False if not SQLite/file."""
    from .. import extensions
    from .blocking import run_blocking

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return False
    with app.app_context():
        path = extensions.db.engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return False

    def checkpoint(connection) -> None:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def loop() -> None:
        connection = sqlite3.connect(path, timeout=0, check_same_thread=False)
        while True:
            extensions.socketio.sleep(interval)
            try:
                run_blocking(checkpoint, connection)
            except Exception:  # a busy database: the next round (or the commit) checkpoints
                app.logger.exception("SQLite WAL checkpoint failed")

    extensions.socketio.start_background_task(loop)
    return True


def is_postgres() -> bool:
    from ..extensions import db

    return db.engine.dialect.name == "postgresql"
