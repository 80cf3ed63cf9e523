"""Hot-path SQL: Core statements compiled once per dialect, run on the pooled DBAPI connection.

Executing a prebuilt Core statement through a SQLAlchemy `Connection` still costs ~40–60 µs of
Python per call on the machines of docs/benchmarks.md (execution context, parameter
construction, result metadata, transaction bookkeeping); a chat message needs two or three
statements and a commit. `RawExecutor` keeps the SQL written with SQLAlchemy Core (one source of
truth for table and column names, the dialect writes the text) but compiles each statement once
per dialect, applies the column types' bind processors itself and runs the text on the DBAPI
cursor of a connection checked out of the engine's pool.

Only for statements whose result columns need no type conversion (integers, strings): rows come
back as the driver returns them, as named tuples. It speaks the same small interface as a
`Connection` for what the chat hot path uses: `execute(...).one()/.first()`, `commit()`,
`rollback()`, with the driver's IntegrityError raised as SQLAlchemy's.
"""
from collections import namedtuple
from contextlib import contextmanager

from sqlalchemy import exc


class _Compiled:
    __slots__ = ("sql", "names", "processors", "positional", "defaults", "row_type")

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        self.names = list(compiled.positiontup) if self.positional else list(compiled.binds)
        self.processors = {}
        # Literals inside the statement (`coalesce(max(seq), 0) + 1`) are bound parameters too.
        self.defaults = {name: bind.effective_value for name, bind in compiled.binds.items()
                         if not bind.required}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.processors[name] = processor
        self.row_type = None

    def parameters(self, values: dict):
        processors, merged = self.processors, self.defaults | values
        if self.positional:
            return tuple(processors[n](merged[n]) if n in processors else merged[n]
                         for n in self.names)
        return {n: processors[n](merged[n]) if n in processors else merged[n]
                for n in self.names}


class _Result:
    __slots__ = ("_rows",)

    def __init__(self, rows):
        self._rows = rows

    def first(self):
        return self._rows[0] if self._rows else None

    def one(self):
        if len(self._rows) != 1:
            raise exc.NoResultFound("Expected exactly one row") if not self._rows \
                else exc.MultipleResultsFound("Expected exactly one row")
        return self._rows[0]


# Compiled text per (statement, dialect): statements must be module-level constants.
_cache: dict[tuple[int, str], _Compiled] = {}
#: Callables given the SQL text of each statement run here (tests count statements with it, as
#: they do on the engine's `before_cursor_execute`).
statement_listeners: list = []


class RawExecutor:
    """A pooled DBAPI connection that runs prebuilt Core statements (see the module doc)."""

    def __init__(self, dbapi_connection, dialect):
        self.dbapi_connection = dbapi_connection
        self.dialect = dialect
        self._integrity_error = dialect.loaded_dbapi.IntegrityError

    def execute(self, statement, values: dict) -> _Result:
        key = (id(statement), self.dialect.name)
        compiled = _cache.get(key)
        if compiled is None:
            compiled = _cache[key] = _Compiled(statement, self.dialect)
        for listener in statement_listeners:
            listener(compiled.sql)
        cursor = self.dbapi_connection.cursor()
        try:
            cursor.execute(compiled.sql, compiled.parameters(values))
            rows = cursor.fetchall() if cursor.description else []
            if rows and compiled.row_type is None:
                compiled.row_type = namedtuple("Row", [d[0] for d in cursor.description])
        except self._integrity_error as error:
            raise exc.IntegrityError(compiled.sql, None, error) from error
        finally:
            cursor.close()
        row_type = compiled.row_type
        return _Result([row_type(*row) for row in rows])

    def commit(self) -> None:
        self.dbapi_connection.commit()

    def rollback(self) -> None:
        self.dbapi_connection.rollback()


@contextmanager
def raw_executor(engine):
    """A `RawExecutor` on a connection from `engine`'s pool, returned (rolled back) after."""
    connection = engine.raw_connection()
    try:
        yield RawExecutor(connection, engine.dialect)
    finally:
        connection.close()
