"""Reading and writing the stored CRDT state of documents (Core statements, no ORM objects).

Ordering across processes: every writer of a document's updates first locks its state row
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite has one writer at a time anyway and takes its
write lock at the first INSERT), so update ids of one document are committed in increasing
order. A reader that has seen update N has therefore seen every update of that document below N,
and "everything after the last id I applied" is an exact catch-up (state.py).
"""
from dataclasses import dataclass

from pycrdt import Doc, Text
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ...core.time import utcnow
from ...extensions import db
from .models import DocumentCrdtState, DocumentUpdate, revision_authors

_states, _updates = DocumentCrdtState.__table__, DocumentUpdate.__table__
BODY = "body"


@dataclass(frozen=True)
class StateRow:
    snapshot_update_id: int
    revision_update_id: int


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def lock_state(document_id: int) -> StateRow | None:
    """Read (and on PostgreSQL lock until the commit) the document's state row."""
    statement = select(_states.c.snapshot_update_id, _states.c.revision_update_id).where(
        _states.c.document_id == document_id)
    if _is_postgres():
        statement = statement.with_for_update()
    row = db.session.execute(statement).first()
    return StateRow(row[0], row[1]) if row else None


def read_state(document_id: int) -> StateRow | None:
    row = db.session.execute(
        select(_states.c.snapshot_update_id, _states.c.revision_update_id)
        .where(_states.c.document_id == document_id)).first()
    return StateRow(row[0], row[1]) if row else None


def read_snapshot(document_id: int) -> tuple[bytes, int] | None:
    row = db.session.execute(select(_states.c.snapshot, _states.c.snapshot_update_id)
                             .where(_states.c.document_id == document_id)).first()
    return (bytes(row[0]), row[1]) if row else None


def seed_state(document_id: int, body: str) -> bool:
    """Create the document's CRDT state from its current text; False if another process (or
    thread) did it first (then theirs is the one: two seeds would hold the text twice)."""
    doc = Doc()
    text = doc.get(BODY, type=Text)
    if body:
        text += body
    try:
        db.session.execute(insert(_states).values(
            document_id=document_id, snapshot=doc.get_update(), snapshot_update_id=0,
            revision_update_id=0, updated_at=utcnow()))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def updates_after(document_id: int, after_id: int, up_to: int | None = None) -> list[tuple[int, bytes]]:
    statement = (select(_updates.c.id, _updates.c.data)
                 .where(_updates.c.document_id == document_id, _updates.c.id > after_id)
                 .order_by(_updates.c.id))
    if up_to is not None:
        statement = statement.where(_updates.c.id <= up_to)
    return [(row[0], bytes(row[1])) for row in db.session.execute(statement)]


def append_update(document_id: int, user_id: int | None, data: bytes,
                  after_id: int) -> tuple[int, list[tuple[int, bytes]], StateRow]:
    """Store one update and commit (see `append_updates`)."""
    ids, missed, state = append_updates(document_id, [(user_id, data)], after_id)
    return ids[0], missed, state


def append_updates(document_id: int, rows: list[tuple[int | None, bytes]],
                   after_id: int) -> tuple[list[int], list[tuple[int, bytes]], StateRow]:
    """Store updates `(user id, data)` with one INSERT and one commit. Returns their ids (in
    the order given), the updates stored by others between `after_id` (the last one the caller
    applied) and the last of them, and the state row as it stood."""
    if _is_postgres():
        state = lock_state(document_id)
    now = utcnow()
    ids = list(db.session.execute(
        insert(_updates).returning(_updates.c.id, sort_by_parameter_order=True),
        [{"document_id": document_id, "user_id": user_id, "data": data, "created_at": now}
         for user_id, data in rows]).scalars())
    if not _is_postgres():
        state = read_state(document_id)
    ours = set(ids)
    missed = [row for row in updates_after(document_id, after_id, up_to=max(ids))
              if row[0] not in ours]
    db.session.commit()
    return ids, missed, state


def editors_between(document_id: int, after_id: int, up_to: int) -> list[int]:
    """Who stored updates in (after_id, up_to], first editor first."""
    rows = db.session.execute(
        select(_updates.c.user_id, func.min(_updates.c.id).label("first"))
        .where(_updates.c.document_id == document_id, _updates.c.id > after_id,
               _updates.c.id <= up_to, _updates.c.user_id.is_not(None))
        .group_by(_updates.c.user_id).order_by("first")).all()
    return [row[0] for row in rows]


def mark_revision(document_id: int, revision_id: int | None, through: int,
                  author_ids: list[int]) -> None:
    """Record that the revision covers updates up to `through` (no commit: the caller's)."""
    db.session.execute(update(_states).where(_states.c.document_id == document_id)
                       .values(revision_update_id=through, updated_at=utcnow()))
    if revision_id is not None and author_ids:
        db.session.execute(insert(revision_authors),
                           [{"revision_id": revision_id, "user_id": uid} for uid in author_ids])


def latest_update_at(document_id: int):
    return db.session.execute(select(func.max(_updates.c.created_at))
                              .where(_updates.c.document_id == document_id)).scalar()


def compact(document_id: int) -> int:
    """Fold the updates already in a revision into the snapshot; returns how many were folded.

    Locks the state row like a writer, so no update of this document commits meanwhile."""
    state = lock_state(document_id)
    if state is None or state.revision_update_id <= state.snapshot_update_id:
        db.session.rollback()
        return 0
    cutoff = state.revision_update_id
    snapshot, _folded = read_snapshot(document_id)
    rows = updates_after(document_id, state.snapshot_update_id, up_to=cutoff)
    doc = Doc()
    doc.get(BODY, type=Text)
    doc.apply_update(snapshot)
    for _id, data in rows:
        doc.apply_update(data)
    db.session.execute(update(_states).where(_states.c.document_id == document_id).values(
        snapshot=doc.get_update(), snapshot_update_id=cutoff, updated_at=utcnow()))
    db.session.execute(delete(_updates).where(_updates.c.document_id == document_id,
                                              _updates.c.id <= cutoff))
    db.session.commit()
    return len(rows)


def documents_to_compact() -> list[int]:
    return list(db.session.execute(
        select(_states.c.document_id)
        .where(_states.c.revision_update_id > _states.c.snapshot_update_id)).scalars())


def stored_bytes(document_id: int) -> int:
    """Bytes of the stored state: the snapshot plus every update not yet folded into it."""
    snapshot = db.session.execute(select(func.length(_states.c.snapshot))
                                  .where(_states.c.document_id == document_id)).scalar() or 0
    rows = db.session.execute(select(func.coalesce(func.sum(func.length(_updates.c.data)), 0))
                              .where(_updates.c.document_id == document_id)).scalar() or 0
    return int(snapshot) + int(rows)
