"""The index writer of this machine: versioned index folders, one writer at a time, applying the
change log, rebuilding beside the live index, check.

Every machine (every `DATA_DIR`) keeps its own Whoosh index in `INDEX_DIR`:

    INDEX_DIR/CURRENT          the name of the live version, replaced atomically (os.replace)
    INDEX_DIR/v<ms>-<pid>/     a version: Whoosh's files and `applied.json`, how far this
                               version has applied the change log (`models.SearchChange`)

Writers on one machine serialise on a file lock beside the versions (`flock`, so it also works
between threads and is released if a process dies); nothing is locked across machines, each
writes only its own folder. Applying the log indexes each named record's *current* state as
the record source gives it (or deletes it), commits the index, and only then records the new
position: a crash in between applies the same entries again, which is harmless.

Ids of the log increase, but on PostgreSQL a transaction may commit after one holding a higher
id (and a rolled-back id never appears). So the position is a *watermark* (every id up to it is
applied or was missing for longer than `GAP_GRACE` seconds) plus the ids applied above it;
`lag` counts from the lowest visible entry not yet applied.

A rebuild writes a new version beside the live one without the lock (readers and the log
follower keep using the live one), then takes the lock, applies what the log gained meanwhile
and points CURRENT at it. Readers of other processes switch at their next look; the previous
version stays on disk until the next swap for readers still holding it.
"""
import fcntl
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import LockError
from whoosh.multiproc import MpWriter
from whoosh.writing import SegmentWriter

from ..extensions import db
from . import phrases
from .models import ACTION_REBUILD, SearchChange
from .records import record_source
from .analysis import load_dictionaries
from .schema import build_schema, document_for, fingerprint, stemmed_field
from .writer import BulkMpWriter, BulkSegmentWriter

log = logging.getLogger(__name__)

APPLY_BATCH = 500
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another writer before giving up (log stays)
GAP_GRACE = 60.0  # seconds a missing log id may still appear (a transaction not yet committed)
POINTER = "CURRENT"
STATE_FILE = "applied.json"
#: the writer's memory for a rebuild; the bench measured no gain above it (docs/search.md)
REBUILD_LIMIT_MB = 512
#: a whole build of at least this many records runs in SEARCH_BUILD_PROCESSES processes
PARALLEL_BUILD_FROM = 1000

_held_locks = threading.local()


class IndexBusy(Exception):
    """Another writer held the index for longer than the timeout."""


def index_root() -> Path:
    return Path(current_app.config["INDEX_DIR"])


def live_dir(root: Path | None = None) -> Path | None:
    """The live version's folder, or None before this machine has built its index."""
    root = root or index_root()
    try:
        name = (root / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    directory = root / name
    return directory if name and whoosh_index.exists_in(str(directory)) else None


@contextmanager
def index_write_lock(timeout: float = LOCK_TIMEOUT, root: Path | None = None):
    """Exclusive across the processes and threads of this machine; waits with backoff, raises
    IndexBusy (at once when `timeout` is 0)."""
    root = root or index_root()
    root.mkdir(parents=True, exist_ok=True)
    lock_path = root / ".write.lock"
    held = _held_locks.__dict__.setdefault("paths", set())
    if lock_path in held:  # re-entrant within one thread (a first build happens under it)
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


def open_index(directory: Path | None = None, *, create: bool = False):
    """The Whoosh index in `directory` (default: the live version), or None if there is none."""
    directory = directory or live_dir()
    if directory is None:
        return None
    if whoosh_index.exists_in(str(directory)):
        return whoosh_index.open_dir(str(directory))
    if not create:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(directory), build_schema())


def _writer(ix, timeout: float = LOCK_TIMEOUT):
    """Whoosh's own lock, retried: our file lock is normally enough, but tools may hold it."""
    try:
        return ix.writer(timeout=timeout, delay=0.05, limitmb=128)
    except LockError as error:
        raise IndexBusy("the Whoosh index lock is held") from error


# --- the position in the log ----------------------------------------------------------------

@dataclass
class LogPosition:
    """How far one index version has applied the change log."""
    watermark: int = 0                                      # every id <= it is done
    above: set[int] = field(default_factory=set)            # ids > watermark already applied
    gaps: dict[int, float] = field(default_factory=dict)    # missing id -> first seen (epoch)

    @classmethod
    def read(cls, directory: Path) -> "LogPosition":
        try:
            data = json.loads((directory / STATE_FILE).read_text())
        except (FileNotFoundError, ValueError):
            return cls()
        return cls(watermark=int(data.get("watermark", 0)),
                   above={int(i) for i in data.get("above", [])},
                   gaps={int(k): float(v) for k, v in (data.get("gaps") or {}).items()})

    def write(self, directory: Path) -> None:
        path = directory / STATE_FILE
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"watermark": self.watermark, "above": sorted(self.above),
                                         "gaps": {str(k): v for k, v in self.gaps.items()}}))
        os.replace(temporary, path)

    def advance(self, applied: Iterable[int], last_seen: int, now: float) -> None:
        """Add the ids just applied; move the watermark over every id applied or given up on
        (missing for longer than GAP_GRACE). `last_seen` is the highest id read."""
        self.above.update(applied)
        nxt = self.watermark + 1
        while nxt <= last_seen:
            if nxt in self.above:
                self.above.discard(nxt)
            else:
                first_seen = self.gaps.setdefault(nxt, now)
                if now - first_seen < GAP_GRACE:
                    break
                log.info("search change log id %s never appeared; skipping it", nxt)
            self.gaps.pop(nxt, None)
            self.watermark = nxt
            nxt += 1
        self.gaps = {k: v for k, v in self.gaps.items() if k > self.watermark}


def last_log_id(session=None) -> int:
    session = session or db.session
    return session.execute(select(func.max(SearchChange.id))).scalar_one() or 0


def lag(root: Path | None = None) -> int | None:
    """How many log ids this machine's index is behind: the last log id minus the highest id
    up to which every entry in the log is applied. None before the first build."""
    directory = live_dir(root)
    if directory is None:
        return None
    position = LogPosition.read(directory)
    pending = select(func.min(SearchChange.id)).where(SearchChange.id > position.watermark)
    if position.above:
        pending = pending.where(SearchChange.id.not_in(sorted(position.above)))
    # Its own session: a probe neither ends nor joins the caller's transaction.
    with Session(db.engine) as session:
        last = last_log_id(session)
        first_pending = session.execute(pending).scalar_one()
    applied = last if first_pending is None else first_pending - 1
    return max(0, last - applied)


# --- following the log ----------------------------------------------------------------------

class LogReplaced(Exception):
    """The database's change log is not the one this index followed: a `rebuild` entry, or a
    log that ends before this index's position (a backup restored after the database was lost)."""


class BuildNeeded(Exception):
    """This machine has no index yet, or must build it again: the caller builds it elsewhere."""


def apply_log(timeout: float = LOCK_TIMEOUT, *, build_here: bool = True) -> int:
    """Apply every log entry this machine's index lacks (building the index first if it has
    none, or again when the log was replaced); return how many entries were applied.
    Raises IndexBusy, and BuildNeeded instead of building when not `build_here`."""
    with index_write_lock(timeout):
        directory = live_dir()
        if directory is not None:
            try:
                return _catch_up(directory, LogPosition.read(directory), timeout)
            except LogReplaced:
                log.warning("the search change log was replaced (a backup restored): "
                            "building this machine's index again from the database")
        if not build_here:
            raise BuildNeeded()
        build_from_scratch()
        return 0


def _catch_up(directory: Path, position: LogPosition, timeout: float = LOCK_TIMEOUT) -> int:
    applied, after = 0, position.watermark
    while after is not None:
        count, after = _apply_batch(directory, position, after, timeout)
        applied += count
    return applied


def _apply_batch(directory: Path, position: LogPosition, after: int,
                 timeout: float = LOCK_TIMEOUT) -> tuple[int, int | None]:
    """Apply the log entries after id `after` (one batch); return how many were applied and
    where the next batch starts (None when the log is exhausted). `timeout` bounds the wait
    for Whoosh's own lock as it bounds the wait for ours."""
    source = record_source()
    # Our own session: the caller's transaction is neither committed nor disturbed.
    with Session(db.engine, expire_on_commit=False) as session:
        rows = session.execute(
            select(SearchChange.id, SearchChange.record_id, SearchChange.slug,
                   SearchChange.action)
            .where(SearchChange.id > after).order_by(SearchChange.id)
            .limit(APPLY_BATCH)).all()
        todo = [row for row in rows if row.id not in position.above]
        if not rows:
            if after > last_log_id(session):
                raise LogReplaced()
            return 0, None
        if any(row.action == ACTION_REBUILD for row in todo):
            raise LogReplaced()
        records = source.records_for(session, {row.record_id for row in todo}) if todo else {}
        session.commit()  # end the read transaction before the index work
    if todo:
        record_ids = {row.record_id for row in todo}
        gone_slugs = {row.slug for row in todo if row.record_id not in records}
        _apply(directory, records, record_ids, gone_slugs, timeout)
    position.advance((row.id for row in rows), rows[-1].id, time.time())
    position.write(directory)
    return len(todo), rows[-1].id if len(rows) == APPLY_BATCH else None


def _apply(directory: Path, records: dict[int, dict | None], record_ids: set[int],
           gone_slugs: set[str], timeout: float = LOCK_TIMEOUT) -> None:
    """One index commit: re-index the indexable ones, delete everything else; then the same
    in the version's phrase table."""
    writer = _writer(open_index(directory), timeout)
    docs = []
    try:
        for record_id in sorted(record_ids):
            writer.delete_by_term("id", str(record_id))
            record = records.get(record_id)
            if record is not None:
                writer.delete_by_term("slug", record["slug"])
                docs.append(document_for(record))
                writer.add_document(**docs[-1])
        for slug in gone_slugs:  # the record's row itself was deleted
            writer.delete_by_term("slug", slug)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    phrases.write(directory, docs, delete_ids=record_ids)


# --- building a version ---------------------------------------------------------------------

def _new_version_dir(root: Path) -> Path:
    directory = root / f"v{int(time.time() * 1000)}-{os.getpid()}-{threading.get_ident() % 10000}"
    directory.mkdir(parents=True)
    return directory


def build_processes(expected: int | None) -> int:
    """How many processes write a whole build of `expected` records (SEARCH_BUILD_PROCESSES):
    one for a small one, where starting processes costs more than it saves."""
    if expected is None or expected < PARALLEL_BUILD_FROM:
        return 1
    return max(1, int(current_app.config.get("SEARCH_BUILD_PROCESSES") or 1))


def write_version(directory: Path, records: Iterable[dict], *,
                  progress: Callable[[int], None] | None = None, processes: int = 1,
                  bulk: bool = True) -> int:
    """Index `records` into a new, empty Whoosh index in `directory` (postings blocks
    uncompressed: zlib was a tenth of a rebuild) and its phrase table. With several
    `processes`, Whoosh's multiprocessing writer analyses and writes the documents in that
    many child processes, one segment each, left unmerged (a merge would cost as much CPU as
    it saved): at 1,000 case studies 21 s of CPU in one process became 14.6 s wall and
    18.5 s of CPU in two (bench/search_bench.py has the 10,000 figures). Either way the text
    fields' postings are written in bulk (`writer.py`; `bulk=False`, SEARCH_BULK_WRITER=0:
    Whoosh's own writers, slower, same index); the lemma dictionaries of the first
    documents' languages are loaded before the processes are forked, which then share them."""
    ix = whoosh_index.create_in(str(directory), build_schema())
    if processes > 1 and bulk:
        writer = BulkMpWriter(ix, procs=processes, batchsize=100,
                              subargs={"codec": W3Codec(compression=0),
                                       "limitmb": REBUILD_LIMIT_MB // processes},
                              before_first_task=_load_dictionaries_of)
    elif processes > 1:
        writer = MpWriter(ix, procs=processes, batchsize=100, multisegment=True,
                          subargs={"codec": W3Codec(compression=0),
                                   "limitmb": REBUILD_LIMIT_MB // processes})
    else:
        writer_class = BulkSegmentWriter if bulk else SegmentWriter
        writer = writer_class(ix, codec=W3Codec(compression=0), limitmb=REBUILD_LIMIT_MB)
    count, batch = 0, []
    try:
        for record in records:
            doc = document_for(record)
            writer.add_document(**doc)
            batch.append(doc)
            if len(batch) >= 1000:
                phrases.write(directory, batch)
                batch = []
            count += 1
            if progress:
                progress(1)
        phrases.write(directory, batch)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return count


def _load_dictionaries_of(docs: list[dict]) -> None:
    """Before the writer processes are forked: load the lemma dictionaries of the languages of
    the first documents here, once, rather than in every process."""
    prefix = len(stemmed_field(""))
    load_dictionaries({name[prefix:] for doc in docs for name in doc
                       if name.startswith(stemmed_field(""))})


def swap_in(directory: Path, root: Path | None = None) -> None:
    """Point CURRENT at `directory` atomically; keep the previous version, remove older ones."""
    root = root or index_root()
    previous = live_dir(root)
    temporary = root / f".{POINTER}.{os.getpid()}.tmp"
    temporary.write_text(directory.name)
    os.replace(temporary, root / POINTER)
    keep = {directory.name} | ({previous.name} if previous else set())
    for other in root.iterdir():
        if other.is_dir() and other.name.startswith("v") and other.name not in keep:
            shutil.rmtree(other, ignore_errors=True)


def build_version(records: Iterable[dict], *, start: LogPosition,
                  progress: Callable[[int], None] | None = None,
                  catch_up: bool = True, processes: int = 1) -> int:
    """Build a new version from `records` beside the live one, catch it up with the log from
    `start` under the lock, and swap it in. Queries keep answering from the live version."""
    root = index_root()
    root.mkdir(parents=True, exist_ok=True)
    directory = _new_version_dir(root)
    try:
        count = write_version(directory, records, progress=progress, processes=processes,
                              bulk=current_app.config.get("SEARCH_BULK_WRITER", True))
        start.write(directory)
        with index_write_lock():
            if catch_up:
                _catch_up(directory, LogPosition.read(directory))
            swap_in(directory, root)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return count


def _start_position() -> LogPosition:
    """Where a new version starts following the log: the last id before its records are read,
    or the live version's position when lower (re-applying entries is harmless), unless the
    log was replaced since that position (a `rebuild` entry after it)."""
    last = last_log_id()
    live = live_dir()
    if live is not None:
        position = LogPosition.read(live)
        if position.watermark <= last and not _rebuild_after(position.watermark):
            db.session.rollback()
            return position
    db.session.rollback()
    return LogPosition(watermark=last)


def _rebuild_after(watermark: int) -> bool:
    return db.session.execute(select(SearchChange.id).where(
        SearchChange.id > watermark, SearchChange.action == ACTION_REBUILD).limit(1)).first() \
        is not None


def build_from_scratch(progress: Callable[[int], None] | None = None) -> int:
    """Index every record of the source into a new version and swap it in."""
    source = record_source()
    return build_version(source.iter_records(), start=_start_position(), progress=progress,
                         processes=build_processes(source.count()))


def index_records(records: Iterable[dict], *, progress: Callable[[int], None] | None = None,
                  processes: int | None = None) -> int:
    """Replace the live index by exactly `records` (tests and the bench; no log catch-up)."""
    if processes is None:
        processes = build_processes(len(records) if hasattr(records, "__len__") else None)
    return build_version(records, start=LogPosition(watermark=last_log_id()),
                         progress=progress, catch_up=False, processes=processes)


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
    ix = open_index(directory)
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
