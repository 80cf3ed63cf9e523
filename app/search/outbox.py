"""The search outbox: pending index changes, written in the same transaction as the change.

`enqueue_index_change` adds a row to the caller's session (the caller commits it together with
the case study change, so the two cannot disagree); `drain_outbox` applies pending rows to the
Whoosh index one writer at a time and deletes a row only after the index commit, so a crash in
between leaves the row for the next drain. Re-applying a row is harmless: the writer always
indexes the case study's *current* state (or deletes it), never the state at enqueue time.
The writer itself lives in `indexer.py`.
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
    # Not a foreign key: a delete must still reach the index after the case study row is gone.
    case_study_id: Mapped[int] = mapped_column(Integer, index=True)
    slug: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(10), default=ACTION_UPSERT)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<SearchOutbox {self.action} {self.slug}>"


def enqueue_index_change(case_study, action: str) -> None:
    """Record that `case_study` must be (re)indexed or removed; the caller commits."""
    if action not in ACTIONS:
        raise ValueError(f"unknown index action {action!r}")
    if case_study.id is None:
        db.session.flush()  # a brand-new case study needs its id before we can point at it
    db.session.add(SearchOutbox(case_study_id=case_study.id, slug=case_study.slug, action=action))


def drain_outbox() -> int:
    """Apply pending index changes; returns how many outbox rows were applied.

    Safe to call after every commit: waits for the index lock, retries, and never raises a
    lock error (the rows simply stay for the next drain).
    """
    from .indexer import drain_pending

    return drain_pending()
