"""The documents this process holds open: one pycrdt `Doc` each, and how it catches up.

An `OpenDocument` knows the id of the last stored update it applied (`last_id`). Before it
answers anything (a join, a sync, a revision cut) it catches up from the database: if the
snapshot has moved past `last_id` (another process compacted) it applies the snapshot, then
every update after `last_id` in id order. Because writers of one document commit in id order
(store.py), this misses nothing, whatever other processes did meanwhile; applying an update
twice is harmless (CRDT), so overlapping reads are safe. A client's update is applied here
as soon as it is validated (`apply_local`, before it is stored and relayed); storing it
(`store_updates`, through `commits`) returns the updates other processes stored just before
it, and applies them too. The registry is per app (tests build many apps in one process).
"""
import threading
import time

from flask import current_app
from pycrdt import Doc, Text

from ...extensions import db
from ..models import Document
from . import commits, store
from .store import BODY


class OpenDocument:
    def __init__(self, document_id: int, project_id: int):
        self.id = document_id
        self.project_id = project_id
        self.ydoc = Doc()
        self.text = self.ydoc.get(BODY, type=Text)
        self.last_id = 0            # last stored update applied here
        self.revision_update_id = 0  # last update included in the current revision
        self.last_change = time.monotonic()  # when this process last saw a new update
        self.loaded = False
        self.lock = threading.RLock()
        self.commits = commits.CommitQueue()  # updates waiting for the next transaction

    # -- applying (caller holds the lock) --
    def _apply(self, rows: list[tuple[int, bytes]]) -> None:
        for update_id, data in rows:
            if update_id > self.last_id:
                self.ydoc.apply_update(data)
                self.last_id = update_id
                self.last_change = time.monotonic()

    def catch_up(self) -> None:
        """Apply whatever other processes stored since `last_id` (seeding a new state first)."""
        with self.lock:
            state = store.read_state(self.id)
            if state is None:
                store.seed_state(self.id, _current_body(self.id))
                state = store.read_state(self.id)
            if state is None:  # the document's row is gone (purged): nothing to catch up on
                db.session.rollback()
                return
            if state.snapshot_update_id > self.last_id or not self.loaded:
                snapshot, through = store.read_snapshot(self.id)
                self.ydoc.apply_update(snapshot)
                self.last_id = max(self.last_id, through)
                self.loaded = True
            self._apply(store.updates_after(self.id, self.last_id))
            self.revision_update_id = state.revision_update_id
            db.session.commit()  # end the read transaction: nothing held across emits

    def store_update(self, user_id: int | None, data: bytes) -> int:
        """Store `data` (committed before returning), then apply it here; returns its id."""
        new_id = self.store_updates([(user_id, data)])[0]
        self.apply_local(data)
        return new_id

    def apply_local(self, data: bytes) -> None:
        """Apply a validated update before it is stored (relay before store, docs/realtime.md);
        `store_updates` records its id later. Applying it twice is harmless (CRDT)."""
        with self.lock:
            self.ydoc.apply_update(data)
            self.last_change = time.monotonic()

    def store_updates(self, rows: list[tuple[int | None, bytes]]) -> list[int]:
        """Store updates `(user id, data)` in one transaction (committed before returning) and
        apply what other processes stored just before them; returns their ids. The updates
        themselves are applied by the caller (`apply_local`)."""
        with self.lock:
            after = self.last_id
        ids, missed, state = store.append_updates(self.id, rows, after)
        with self.lock:
            if state is not None and state.snapshot_update_id > self.last_id:
                self.catch_up()  # compacted past us meanwhile: start from the snapshot
            self._apply(missed)
            self.last_id = max(self.last_id, *ids)
            self.last_change = time.monotonic()
        return ids

    @property
    def body(self) -> str:
        with self.lock:
            return str(self.text)

    @property
    def pending(self) -> bool:
        """Edits stored since the current revision."""
        return self.last_id > self.revision_update_id


def _current_body(document_id: int) -> str:
    document = db.session.get(Document, document_id)
    return document.body if document is not None else ""


def _registry(app) -> tuple[dict[int, OpenDocument], threading.Lock]:
    found = app.extensions.get("coedit_open")
    if found is None:
        found = app.extensions.setdefault("coedit_open", ({}, threading.Lock()))
    return found


def open_document(document: Document) -> OpenDocument:
    """The document's shared state in this process, caught up with the database."""
    documents, lock = _registry(current_app)
    with lock:
        opened = documents.get(document.id)
        if opened is None:
            opened = documents[document.id] = OpenDocument(document.id, document.project_id)
    opened.catch_up()
    return opened


def held(app=None) -> list[OpenDocument]:
    documents, lock = _registry(app or current_app)
    with lock:
        return list(documents.values())


def get_open(document_id: int, app=None) -> OpenDocument | None:
    return _registry(app or current_app)[0].get(document_id)


def release(document_id: int, app=None) -> None:
    """Forget the in-memory copy (everything in it is stored; it reloads on the next open)."""
    documents, lock = _registry(app or current_app)
    with lock:
        documents.pop(document_id, None)
