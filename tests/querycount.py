"""Count SQL statements: `with count_queries() as queries: ...; assert queries.count <= 8`.

Listens to `before_cursor_execute` on `db.engine`, so it counts every statement the app sends
(in this thread or the test client's request), including lazy loads, and to the statements the
chat hot path runs on raw DBAPI connections (`app.core.rawsql`). `queries.statements`
holds the SQL text for a readable failure message.
"""
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from app.core import rawsql
from app.extensions import db


@dataclass
class QueryCounter:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:
        return f"{self.count} statements:\n" + "\n".join(
            f"  {n}. {sql.splitlines()[0][:160]}" for n, sql in enumerate(self.statements, 1))


@contextmanager
def count_queries(engine=None):
    engine = engine or db.engine
    counter = QueryCounter()

    def listener(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            counter.statements.append(statement)

    def raw_listener(statement):
        listener(None, None, statement, None, None, False)

    event.listen(engine, "before_cursor_execute", listener)
    rawsql.statement_listeners.append(raw_listener)
    try:
        yield counter
    finally:
        rawsql.statement_listeners.remove(raw_listener)
        event.remove(engine, "before_cursor_execute", listener)
