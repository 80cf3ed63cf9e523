"""Rows as portable JSON: each value written by its column's type, read back by the target
column's type, so a backup taken on SQLite restores on PostgreSQL and the other way round.

    DateTime, Date, Time   ISO 8601 text (naive UTC datetimes keep their microseconds)
    Numeric (Decimal)      text, so no digit is lost; Float stays a JSON number
    LargeBinary            base64 text
    Boolean, Integer, String, Text, JSON   as JSON has them

No JSON column of ours is nullable, so SQL NULL and JSON `null` never need telling apart.
"""
import base64
import datetime
import decimal
import json
from collections.abc import Callable

from sqlalchemy import Column, types


def encode_value(value):
    """A value read from the database, as JSON can carry it."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def dump_row(row) -> str:
    """One row (a mapping of column name to value) as one line of JSON."""
    return json.dumps({name: encode_value(value) for name, value in row.items()},
                      ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def decoder_for(column: Column) -> Callable:
    """How to turn what `encode_value` wrote back into what the column holds."""
    kind = column.type
    if isinstance(kind, types.DateTime):
        return _none_or(datetime.datetime.fromisoformat)
    if isinstance(kind, types.Date):
        return _none_or(datetime.date.fromisoformat)
    if isinstance(kind, types.Time):
        return _none_or(datetime.time.fromisoformat)
    if isinstance(kind, types.Numeric) and not isinstance(kind, types.Float) and kind.asdecimal:
        return _none_or(lambda text: decimal.Decimal(str(text)))
    if isinstance(kind, types.LargeBinary):
        return _none_or(base64.b64decode)
    if isinstance(kind, types.Boolean):
        return _none_or(bool)
    return lambda value: value


def _none_or(convert: Callable) -> Callable:
    return lambda value: None if value is None else convert(value)
