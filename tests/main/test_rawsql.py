"""app/core/rawsql.py, on its own: prebuilt Core statements run on a pooled DBAPI connection give
what a SQLAlchemy Connection gives — types, NULLs, literals inside the statement, errors — on
SQLite (`make test`) and PostgreSQL (`make test-postgres`)."""
from datetime import datetime

import pytest
from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, bindparam, exc
from sqlalchemy import func, insert, select

from app.core import rawsql
from app.core.rawsql import raw_executor
from app.extensions import db

metadata = MetaData()
samples = Table(
    "rawsql_samples", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(40), unique=True),
    Column("note", String(200), nullable=True),
    Column("flag", Boolean),
    Column("at", DateTime, nullable=True),
    Column("rank", Integer),
)
INSERT = (insert(samples)
          .values(name=bindparam("p_name"), note=bindparam("p_note"), flag=bindparam("p_flag"),
                  at=bindparam("p_at"),
                  rank=select(func.coalesce(func.max(samples.c.rank), 0) + 1).scalar_subquery())
          .returning(samples.c.id, samples.c.rank))
BY_NAME = select(samples.c.id, samples.c.name, samples.c.note).where(
    samples.c.name == bindparam("p_name"))
ALL_IDS = select(samples.c.id)
WHEN = datetime(2026, 12, 1, 15, 4, 5, 123456)


@pytest.fixture
def table(app):
    metadata.create_all(db.engine)
    yield samples
    db.session.remove()
    metadata.drop_all(db.engine)


def row(name: str):
    with db.engine.connect() as connection:
        return connection.execute(select(samples).where(samples.c.name == name)).one()


def test_types_and_nulls_arrive_as_a_core_connection_writes_them(table):
    with raw_executor(db.engine) as raw:
        first = raw.execute(INSERT, {"p_name": "a", "p_note": None, "p_flag": True,
                                     "p_at": WHEN}).one()
        raw.commit()
    with db.engine.connect() as connection:
        connection.execute(INSERT, {"p_name": "b", "p_note": None, "p_flag": True, "p_at": WHEN})
        connection.commit()
    raw_row, core_row = row("a"), row("b")
    assert (raw_row.note, raw_row.flag, raw_row.at) == (core_row.note, core_row.flag, core_row.at)
    assert (raw_row.note, raw_row.flag, raw_row.at) == (None, True, WHEN)
    assert first.id == raw_row.id and first.rank == 1  # RETURNING, by column name
    assert core_row.rank == 2  # the literal 0 and 1 inside the statement were bound


def test_text_round_trips_unchanged(table):
    text = "Muzeum Bursztynu — «ÿ» 🏛 'quoted' \\ %s %(x)s ?"
    with raw_executor(db.engine) as raw:
        raw.execute(INSERT, {"p_name": "t", "p_note": text, "p_flag": False, "p_at": None})
        raw.commit()
        found = raw.execute(BY_NAME, {"p_name": "t"}).one()
    assert found.note == text and found.name == "t"
    assert row("t").flag is False and row("t").at is None


def test_a_unique_violation_is_sqlalchemys_integrity_error_and_rolls_back(table):
    values = {"p_name": "dup", "p_note": None, "p_flag": True, "p_at": None}
    with raw_executor(db.engine) as raw:
        raw.execute(INSERT, values)
        raw.commit()
        with pytest.raises(exc.IntegrityError):
            raw.execute(INSERT, values)
        raw.rollback()
        # the connection is usable again after the rollback
        assert raw.execute(BY_NAME, {"p_name": "dup"}).one().name == "dup"


def test_one_and_first_say_what_they_found(table):
    with raw_executor(db.engine) as raw:
        assert raw.execute(BY_NAME, {"p_name": "nobody"}).first() is None
        with pytest.raises(exc.NoResultFound):
            raw.execute(BY_NAME, {"p_name": "nobody"}).one()
        for name in ("x", "y"):
            raw.execute(INSERT, {"p_name": name, "p_note": None, "p_flag": True, "p_at": None})
        with pytest.raises(exc.MultipleResultsFound):
            raw.execute(ALL_IDS, {}).one()
        raw.rollback()
    with db.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(samples)).scalar_one() == 0


def test_without_commit_nothing_is_kept_and_the_connection_goes_back_to_the_pool(table):
    pool = db.engine.pool
    before = pool.checkedout()
    with raw_executor(db.engine) as raw:
        raw.execute(INSERT, {"p_name": "gone", "p_note": None, "p_flag": True, "p_at": None})
        assert pool.checkedout() == before + 1
    assert pool.checkedout() == before
    with db.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(samples)).scalar_one() == 0


def test_listeners_see_each_statement_compiled_once(table):
    seen = []
    rawsql.statement_listeners.append(seen.append)
    try:
        with raw_executor(db.engine) as raw:
            for name in ("l1", "l2"):
                raw.execute(BY_NAME, {"p_name": name})
    finally:
        rawsql.statement_listeners.remove(seen.append)
    assert len(seen) == 2 and seen[0] == seen[1] and "rawsql_samples" in seen[0]
    assert (id(BY_NAME), db.engine.dialect.name) in rawsql._cache
