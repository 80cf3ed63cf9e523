"""The search change log: what to index or remove, appended in the same transaction as the change.

Rows are never updated or deleted: ids increase, and every machine (every `DATA_DIR`) keeps its
own index and remembers in it how far it has applied the log (`indexer.py`, `follower.py`).
A row names a record of the registered record source (`records.py`) by id and slug and says
whether to (re)index it or remove it; applying it indexes the record's *current* state, so
applying a row twice, or out of order, is harmless. Nothing here knows what the records are.
One more action names no record: `rebuild` (appended when a backup is restored, since the
database and its log were replaced) tells every machine to build its index from scratch.
"""
from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db

ACTION_UPSERT, ACTION_DELETE, ACTION_REBUILD = "upsert", "delete", "rebuild"
ACTIONS = (ACTION_UPSERT, ACTION_DELETE)  # what a change to one record enqueues


class SearchChange(db.Model):
    __tablename__ = "search_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not a foreign key: a delete must still reach the index after the record's row is gone.
    record_id: Mapped[int] = mapped_column(Integer)
    slug: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(10), default=ACTION_UPSERT)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<SearchChange {self.id} {self.action} {self.slug}>"
