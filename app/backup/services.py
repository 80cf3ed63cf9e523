"""Backing up an installation into a folder and restoring it into an empty one.

    PATH/manifest.json              format, schema revision, each table file's rows and SHA-256,
                                    each blob's SHA-256 and size
    PATH/tables/<table>.jsonl       one row per line (`records.py`), tables in dependency order
    PATH/blobs/ab/cd/<sha256>       every blob a row refers to, as the store keeps them

`create_backup` reads every table in one snapshot (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite), writes into a hidden folder beside PATH and renames it into place when
complete. `restore_backup` checks the manifest, the schema revision, that the installation is
empty and every table file's checksum before it writes anything; blobs are verified as they are
copied into the store, all rows load in one transaction, and a failure removes the blobs it had
added. Then PostgreSQL's sequences are moved past the restored ids and the search index rebuilt,
on this machine at once and on every other machine by their followers (a `rebuild` log entry).
The CLI is the door (operators: `as_operator`); the policy decides for anyone else.
"""
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import and_, func, inspect, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from ..core.blobstore import SHA256_RE, BlobMissing, blob_store, key_of
from ..core.errors import Conflict, ValidationError
from ..core.time import utcnow
from ..extensions import db
from ..files import housekeeping, storage
from ..policy import authorize
from ..search import services as search
from .records import decoder_for, dump_row

FORMAT, VERSION = "museum-space-backup", 1
TABLE_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
BATCH = 1000
CHUNK = 1024 * 1024

Progress = Callable[[int], None] | None


@dataclass
class BackupSummary:
    path: Path
    tables: int
    rows: int
    blobs: int
    blob_bytes: int


# --- create ------------------------------------------------------------------------------------

def backup_size() -> int:
    """Rows plus blobs a backup will write now (the length of a progress bar)."""
    rows = sum(db.session.execute(select(func.count()).select_from(table)).scalar_one()
               for table in _tables())
    return rows + sum(1 for _row in housekeeping.blob_rows(db.session.connection()))


def create_backup(target, *, actor=None, as_operator: bool = False,
                  progress: Progress = None) -> BackupSummary:
    """Write the whole installation into `target`, a new or empty folder."""
    _authorize(actor, as_operator)
    target = Path(target).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise Conflict(_("%(path)s already exists and is not an empty folder.", path=target))
    if not target.parent.is_dir():
        raise ValidationError(_("The folder %(path)s does not exist.", path=target.parent))
    db.session.commit()
    work = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"
    (work / "tables").mkdir(parents=True)
    try:
        with _snapshot() as connection:
            revision = _schema_revision(connection)
            tables = [_dump_table(connection, table, work, progress) for table in _tables()]
            blobs = list(housekeeping.blob_rows(connection))
        for sha256, size in blobs:
            _copy_blob_out(sha256, size, work)
            _advance(progress, 1)
        manifest = {"format": FORMAT, "version": VERSION, "created_at": utcnow().isoformat(),
                    "schema_revision": revision, "dialect": db.engine.dialect.name,
                    "tables": tables,
                    "blobs": [{"sha256": sha256, "size": size} for sha256, size in blobs]}
        _write_durably(work / "manifest.json", json.dumps(manifest, indent=1).encode())
        if target.exists():
            target.rmdir()
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupSummary(target, len(tables), sum(t["rows"] for t in tables), len(blobs),
                         sum(size for _sha, size in blobs))


@contextmanager
def _snapshot():
    """One consistent read of every table."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        else:
            connection.exec_driver_sql("BEGIN")  # pysqlite begins only for writes
        try:
            yield connection
        finally:
            connection.rollback()


def _dump_table(connection, table, work: Path, progress: Progress) -> dict:
    name = f"tables/{table.name}.jsonl"
    digest, rows = hashlib.sha256(), 0
    statement = select(table).order_by(*table.primary_key.columns).execution_options(
        yield_per=BATCH)
    with open(work / name, "wb") as handle:
        for row in connection.execute(statement).mappings():
            line = (dump_row(row) + "\n").encode()
            handle.write(line)
            digest.update(line)
            rows += 1
            if rows % BATCH == 0:
                _advance(progress, BATCH)
        handle.flush()
        os.fsync(handle.fileno())
    _advance(progress, rows % BATCH)
    return {"name": table.name, "file": name, "rows": rows, "sha256": digest.hexdigest()}


def _copy_blob_out(sha256: str, size: int, work: Path) -> None:
    target = work / "blobs" / key_of(sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, written = hashlib.sha256(), 0
    try:
        with blob_store().open(sha256) as source, open(target, "wb") as handle:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                written += len(chunk)
                handle.write(chunk)
    except BlobMissing:
        written = -1
    if written != size or digest.hexdigest() != sha256:
        raise ValidationError(_("The stored file %(sha256)s is missing or damaged: run `flask "
                                "files verify`. Nothing was backed up.", sha256=sha256))


# --- restore -----------------------------------------------------------------------------------

def read_manifest(source) -> dict:
    """The backup's manifest, checked for shape (not yet against the files it names)."""
    source = Path(source)
    if not source.is_dir():
        raise ValidationError(_("There is no backup folder at %(path)s.", path=source))
    try:
        manifest = json.loads((source / "manifest.json").read_bytes())
        problem = _manifest_problem(manifest)
    except (OSError, ValueError) as error:
        problem = str(error)
    if problem:
        raise ValidationError(_("The backup at %(path)s has a damaged manifest: %(problem)s",
                                path=source, problem=problem))
    return manifest


def restore_size(manifest: dict) -> int:
    return sum(t["rows"] for t in manifest["tables"]) + len(manifest["blobs"])


def restore_backup(source, *, actor=None, as_operator: bool = False,
                   progress: Progress = None) -> BackupSummary:
    """Load the backup in `source` into this installation, which must be empty."""
    _authorize(actor, as_operator)
    source = Path(source).absolute()
    manifest = read_manifest(source)
    db.session.commit()
    with db.engine.connect() as connection:
        here = _schema_revision(connection)
        if manifest["schema_revision"] != here:
            raise Conflict(_("The backup was taken at schema revision %(backup)s, this "
                             "installation is at %(here)s: restore it with the same version of "
                             "the application, after `flask db upgrade`.",
                             backup=manifest["schema_revision"], here=here))
        if sorted(entry["name"] for entry in manifest["tables"]) != sorted(
                table.name for table in _tables()):
            raise ValidationError(_("The backup at %(path)s has a damaged manifest: %(problem)s",
                                    path=source, problem="not this schema's tables"))
        for table in _tables():
            if connection.execute(select(1).select_from(table).limit(1)).first():
                raise Conflict(_("This installation is not empty (the table %(table)s has rows): "
                                 "restore only into a new installation that has run `flask db "
                                 "upgrade`.", table=table.name))
    for entry in manifest["tables"]:
        if _file_sha256(source / entry["file"]) != entry["sha256"]:
            raise ValidationError(_("The backup file %(file)s is missing or damaged (it does not "
                                    "match the manifest). Nothing was restored.",
                                    file=entry["file"]))
    added = []
    try:
        for blob in manifest["blobs"]:
            if _copy_blob_in(source, blob["sha256"], blob["size"]):
                added.append(blob["sha256"])
            _advance(progress, 1)
        _load_tables(source, manifest, progress)
    except BaseException:
        for sha256 in added:
            blob_store().delete(sha256)
        raise
    search.rebuild_everywhere()
    return BackupSummary(source, len(manifest["tables"]),
                         sum(t["rows"] for t in manifest["tables"]), len(manifest["blobs"]),
                         sum(b["size"] for b in manifest["blobs"]))


def _manifest_problem(manifest) -> str | None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return "not a backup of this application"
    if manifest.get("version") != VERSION:
        return f"format version {manifest.get('version')!r}, expected {VERSION}"
    tables, blobs = manifest.get("tables"), manifest.get("blobs")
    if not isinstance(tables, list) or not isinstance(blobs, list):
        return "no list of tables or blobs"
    for entry in tables:
        if not (isinstance(entry, dict) and TABLE_NAME_RE.match(str(entry.get("name")))
                and entry.get("file") == f"tables/{entry.get('name')}.jsonl"
                and isinstance(entry.get("rows"), int)
                and SHA256_RE.match(str(entry.get("sha256")))):
            return f"table entry {str(entry)[:80]}"
    for entry in blobs:
        if not (isinstance(entry, dict) and SHA256_RE.match(str(entry.get("sha256")))
                and isinstance(entry.get("size"), int)):
            return f"blob entry {str(entry)[:80]}"
    return None


def _copy_blob_in(source: Path, sha256: str, size: int) -> bool:
    """Verify one blob of the backup while spooling it, then hand it to the store. True when
    the store did not have it yet."""
    spooled = storage.temp_dir() / f"restore-{uuid.uuid4().hex}"
    digest, copied = hashlib.sha256(), 0
    try:
        with open(source / "blobs" / key_of(sha256), "rb") as handle, open(spooled, "wb") as out:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                copied += len(chunk)
                out.write(chunk)
    except OSError:
        copied = -1
    if copied != size or digest.hexdigest() != sha256:
        spooled.unlink(missing_ok=True)
        raise ValidationError(_("The backup file %(file)s is missing or damaged (it does not "
                                "match the manifest). Nothing was restored.",
                                file=f"blobs/{key_of(sha256)}"))
    return blob_store().put(sha256, spooled)


def _load_tables(source: Path, manifest: dict, progress: Progress) -> None:
    """Every row in one transaction. A foreign key to the same table or one loaded later
    (documents ↔ their current revision, threaded replies) is filled in once all rows exist."""
    order = {table.name: index for index, table in enumerate(_tables())}
    entries = {entry["name"]: entry for entry in manifest["tables"]}
    postponed: list[tuple] = []
    with db.engine.begin() as connection:
        for table in _tables():
            late = [column.name for column in table.columns if any(
                order[key.column.table.name] >= order[table.name] for key in column.foreign_keys)]
            try:
                _load_table(connection, table, source / entries[table.name]["file"], late,
                            postponed, progress)
            except (SQLAlchemyError, ValueError, TypeError, KeyError) as error:
                raise ValidationError(_("The table %(table)s could not be restored: %(problem)s",
                                        table=table.name, problem=str(error)[:300])) from None
        for table, keys, values in postponed:
            connection.execute(update(table).where(and_(*(table.c[name] == value
                                                          for name, value in keys.items())))
                               .values(values))
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    db.session.expire_all()


def _load_table(connection, table, path: Path, late: list[str], postponed: list,
                progress: Progress) -> None:
    decoders = {column.name: decoder_for(column) for column in table.columns}
    keys = [column.name for column in table.primary_key.columns]
    batch = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            raw = json.loads(line)
            if set(raw) != set(decoders):
                raise ValueError(f"columns {sorted(raw)} differ from {sorted(decoders)}")
            row = {name: decoders[name](value) for name, value in raw.items()}
            later = {name: row[name] for name in late if row[name] is not None}
            if later:
                postponed.append((table, {name: row[name] for name in keys}, later))
                row.update(dict.fromkeys(later))
            batch.append(row)
            if len(batch) == BATCH:
                connection.execute(table.insert(), batch)
                _advance(progress, len(batch))
                batch = []
    if batch:
        connection.execute(table.insert(), batch)
        _advance(progress, len(batch))


def _reset_sequences(connection) -> None:
    """Move each serial column's sequence past the largest restored id."""
    quote = connection.dialect.identifier_preparer.quote
    for table in _tables():
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                      {"table": quote(table.name), "column": column.name}
                                      ).scalar()
        if sequence:
            connection.execute(text(
                f"SELECT setval(:sequence, COALESCE((SELECT MAX({quote(column.name)}) FROM "
                f"{quote(table.name)}), 0) + 1, false)"), {"sequence": sequence})


# --- shared ------------------------------------------------------------------------------------

def _authorize(actor, as_operator: bool) -> None:
    if not as_operator:
        authorize(actor, "site.backup")


def _tables() -> list:
    """The application's tables in dependency order (Alembic's own table is not data)."""
    return list(db.metadata.sorted_tables)


def _schema_revision(connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _file_sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _advance(progress: Progress, steps: int) -> None:
    if progress is not None and steps:
        progress(steps)
