"""The index writer: opening/creating the Whoosh index, one writer at a time, drain, rebuild, check.

Records come from the registered record source (`records.py`); this module imports no feature.
Writers serialise on a file lock beside the index (`flock`, so it also works between threads and
is released if a process dies), then take Whoosh's own lock with retries. A drain reads pending
outbox rows, indexes each record's *current* state as the source gives it (or deletes it),
commits the index, and only then deletes the rows it applied: a crash in between leaves the
rows, and applying them again is harmless. Lock timeouts are logged and never reach the caller.
"""
import fcntl
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import CLEAR

from ..extensions import db
from .models import SearchOutbox
from .records import record_source
from .schema import build_schema, document_for, fingerprint

log = logging.getLogger(__name__)

DRAIN_BATCH = 200
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another writer before giving up (rows stay)


_held_locks = threading.local()


class IndexBusy(Exception):
    """Another writer held the index for longer than the timeout."""


def index_dir() -> Path:
    return Path(current_app.config["INDEX_DIR"])


@contextmanager
def index_write_lock(timeout: float = LOCK_TIMEOUT, directory: Path | None = None):
    """Exclusive across processes and threads; waits with backoff, raises IndexBusy."""
    directory = directory or index_dir()
    directory.mkdir(parents=True, exist_ok=True)
    # Beside the index, not inside it, so rebuilding the index cannot remove the lock file.
    lock_path = directory.parent / f".{directory.name}.write.lock"
    held = _held_locks.__dict__.setdefault("paths", set())
    if lock_path in held:  # re-entrant within one thread (rebuild opens the index under it)
        yield
        return
    handle = open(lock_path, "a+")  # noqa: SIM115
    try:
        deadline, delay = time.monotonic() + timeout, 0.01
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(f"index writer busy for {timeout}s") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
        held.add(lock_path)
        try:
            yield
        finally:
            held.discard(lock_path)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


def open_index(directory: Path | None = None, *, create: bool = True):
    """The index in `directory` (default INDEX_DIR); created under the write lock if absent."""
    directory = directory or index_dir()
    if whoosh_index.exists_in(str(directory)):
        return whoosh_index.open_dir(str(directory))
    if not create:
        return None
    with index_write_lock(directory=directory):
        if whoosh_index.exists_in(str(directory)):
            return whoosh_index.open_dir(str(directory))
        directory.mkdir(parents=True, exist_ok=True)
        return whoosh_index.create_in(str(directory), build_schema())


def _writer(ix, timeout: float = LOCK_TIMEOUT):
    """Whoosh's own lock, retried: our file lock is normally enough, but tools may hold it."""
    try:
        return ix.writer(timeout=timeout, delay=0.05, limitmb=128)
    except LockError as error:
        raise IndexBusy("the Whoosh index lock is held") from error


# --- drain ----------------------------------------------------------------------------------

def drain_pending(timeout: float = LOCK_TIMEOUT) -> int:
    """Apply every pending outbox row; return how many were applied. Never raises lock errors."""
    applied = 0
    try:
        with index_write_lock(timeout):
            while True:
                count = _drain_batch(timeout)
                applied += count
                if count < DRAIN_BATCH:
                    break
    except IndexBusy as error:
        log.warning("search outbox not drained now (%s); the rows stay for the next drain", error)
    except Exception:  # noqa: BLE001  (a user's publish must not fail because of the index)
        log.exception("search outbox drain failed; the rows stay for the next drain")
    return applied


def _drain_batch(timeout: float) -> int:
    source = record_source()
    # Our own session: the caller's transaction is neither committed nor disturbed by a drain.
    with Session(db.engine, expire_on_commit=False) as session:
        rows = session.scalars(select(SearchOutbox).order_by(SearchOutbox.id).limit(DRAIN_BATCH)).all()
        if not rows:
            return 0
        row_ids = [row.id for row in rows]
        record_ids = {row.record_id for row in rows}
        try:
            records = source.records_for(session, record_ids)
            gone_slugs = {row.slug for row in rows if row.record_id not in records}
            # End the read transaction before the index work: a later write from an old
            # snapshot is refused at once by SQLite (WAL) instead of waiting for the lock.
            session.commit()
            _apply(records, record_ids, gone_slugs, timeout)
        except Exception:
            session.rollback()
            session.execute(update(SearchOutbox).where(SearchOutbox.id.in_(row_ids))
                            .values(attempts=SearchOutbox.attempts + 1))
            session.commit()
            raise
        _delete_applied_rows(session, row_ids)
        return len(row_ids)


def _apply(records: dict[int, dict | None], record_ids: set[int], gone_slugs: set[str],
           timeout: float) -> None:
    """One index commit: re-index the indexable ones, delete everything else."""
    ix = open_index()
    writer = _writer(ix, timeout)
    try:
        for record_id in sorted(record_ids):
            writer.delete_by_term("id", str(record_id))
            record = records.get(record_id)
            if record is not None:
                writer.delete_by_term("slug", record["slug"])
                writer.add_document(**document_for(record))
        for slug in gone_slugs:  # the record's row itself was deleted
            writer.delete_by_term("slug", slug)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def _delete_applied_rows(session: Session, row_ids: list[int]) -> None:
    """Only after the index commit; rows enqueued meanwhile have other ids and stay."""
    session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(row_ids)))
    session.commit()


def pending_count() -> int:
    return db.session.execute(select(func.count()).select_from(SearchOutbox)).scalar_one()


# --- rebuild --------------------------------------------------------------------------------

def index_records(records: Iterable[dict], *, directory: Path | None = None,
                  progress: Callable[[int], None] | None = None, procs: int = 1) -> int:
    """Replace the whole index by `records` in one commit (readers see old or new, never half)."""
    directory = directory or index_dir()
    with index_write_lock(directory=directory):
        ix = open_index(directory)
        if set(ix.schema.names()) != set(build_schema().names()):
            ix = whoosh_index.create_in(str(directory), build_schema())
        writer = ix.writer(timeout=LOCK_TIMEOUT, delay=0.05, limitmb=256, procs=procs,
                           multisegment=procs > 1)
        count = 0
        try:
            for record in records:
                writer.add_document(**document_for(record))
                count += 1
                if progress:
                    progress(1)
            writer.commit(mergetype=CLEAR)
        except BaseException:
            writer.cancel()
            raise
        return count


def rebuild_from_database(progress: Callable[[int], None] | None = None) -> int:
    """Reindex every record of the source; outbox rows older than the rebuild are then done."""
    last_row = db.session.execute(select(func.max(SearchOutbox.id))).scalar_one()
    count = index_records(record_source().iter_records(), progress=progress)
    if last_row is not None:
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id <= last_row))
        db.session.commit()
    return count


# --- check ----------------------------------------------------------------------------------

@dataclass
class IndexReport:
    missing: list[str] = field(default_factory=list)  # published, not in the index
    stale: list[str] = field(default_factory=list)    # in the index with other content
    extra: list[str] = field(default_factory=list)    # in the index, not published
    indexed: int = 0
    published: int = 0

    @property
    def in_sync(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def indexed_fingerprints(directory: Path | None = None) -> dict[str, str]:
    ix = open_index(directory, create=False)
    if ix is None:
        return {}
    with ix.searcher() as searcher:
        return {fields["slug"]: fields.get("fingerprint", "")
                for fields in searcher.all_stored_fields()}


def compare_with_records(records: Iterator[dict], directory: Path | None = None) -> IndexReport:
    indexed = indexed_fingerprints(directory)
    report = IndexReport(indexed=len(indexed))
    seen = set()
    for record in records:
        report.published += 1
        slug = record["slug"]
        seen.add(slug)
        if slug not in indexed:
            report.missing.append(slug)
        elif indexed[slug] != fingerprint(record):
            report.stale.append(slug)
    report.extra = sorted(set(indexed) - seen)
    return report


def check_against_database() -> IndexReport:
    return compare_with_records(record_source().iter_records())


