"""One time zone: naive UTC datetimes in the database, converted to local time in the browser."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time as a naive UTC datetime (what every DateTime column stores)."""
    return datetime.now(UTC).replace(tzinfo=None)


def isoformat_utc(moment: datetime | None) -> str | None:
    return moment.replace(microsecond=moment.microsecond).isoformat() + "Z" if moment else None
