"""Throwaway databases for tests that need one of their own (migrations, multi-process chat).

PostgreSQL when TEST_DATABASE_URL points at it, otherwise a SQLite file in the given directory.
"""
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from config import _normalise_database_url


@contextmanager
def temporary_database_url(directory: Path, name: str):
    """Yield the URL of a fresh, empty database called after `name`; drop it afterwards."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{directory / f'{name}.db'}"
        return
    database = f"{name}_{uuid.uuid4().hex[:8]}"
    base = _normalise_database_url(base)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + database
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
