"""The tables of co-editing: acknowledged CRDT updates, the compacted state, revision co-authors.

`DocumentUpdate` is append-only: each row is one Yjs update exactly as a client (or the server,
for a form save or a restore) sent it, committed before it is acknowledged. `DocumentCrdtState`
is one row per document once it has been opened for co-editing: the snapshot (all updates up to
`snapshot_update_id` merged), and `revision_update_id`, the last update included in the current
revision. Compaction folds only updates already in a revision, so the co-authors of the next
revision can still be read from the rows that follow it.
"""
from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, LargeBinary, Table
from sqlalchemy.orm import Mapped, mapped_column

from ...core.time import utcnow
from ...extensions import db


class DocumentCrdtState(db.Model):
    __tablename__ = "document_crdt_states"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    snapshot: Mapped[bytes] = mapped_column(LargeBinary)
    snapshot_update_id: Mapped[int] = mapped_column(Integer, default=0)
    revision_update_id: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DocumentUpdate(db.Model):
    __tablename__ = "document_updates"
    # AUTOINCREMENT on SQLite: ids are never reused once compaction deleted the rows, so
    # "every update after id N" stays an exact catch-up (state.py)
    __table_args__ = (Index("ix_document_updates_document_id_id", "document_id", "id"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


#: everyone who edited a document between the previous revision and this one
revision_authors = Table(
    "document_revision_authors", db.metadata,
    Column("revision_id", Integer, ForeignKey("document_revisions.id", ondelete="CASCADE"),
           primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)
