"""The search outbox table: pending index changes, written in the same transaction as the change.

A row names a record of the registered record source (`records.py`) by id and slug and says
whether to (re)index it or remove it. Rows are written by `services.enqueue_index_change` and
applied, then deleted, by `indexer.drain_pending`. Nothing here knows what the records are.
"""
from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db

ACTION_UPSERT, ACTION_DELETE = "upsert", "delete"
ACTIONS = (ACTION_UPSERT, ACTION_DELETE)


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not a foreign key: a delete must still reach the index after the record's row is gone.
    # The column keeps its first name (the archive was the first record source): renaming it
    # would be a migration for no reader's benefit.
    record_id: Mapped[int] = mapped_column("case_study_id", Integer, index=True)
    slug: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(10), default=ACTION_UPSERT)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<SearchOutbox {self.action} {self.slug}>"
