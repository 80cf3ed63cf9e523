"""Storage housekeeping for operators (the `flask files` commands call these): bytes used per
project, blob integrity, removing abandoned uploads. No user and no policy: the CLI is a trusted
door; nothing here changes a database row.
"""
import hashlib
import time
from dataclasses import dataclass

from sqlalchemy import func, select

from ..core.blobstore import blob_store
from ..extensions import db
from ..projects.services import slugs_of
from . import storage
from .models import Blob, FileVersion, ProjectFile


@dataclass
class ProjectUsage:
    slug: str
    files: int
    used: int  # bytes, every version counted


def usage_by_project() -> list[ProjectUsage]:
    """Every project with files, by slug: how many files and how many bytes they use."""
    rows = db.session.execute(
        select(ProjectFile.project_id, func.count(func.distinct(ProjectFile.id)),
               func.coalesce(func.sum(Blob.size), 0))
        .join(FileVersion, FileVersion.file_id == ProjectFile.id)
        .join(Blob, FileVersion.blob_id == Blob.id)
        .group_by(ProjectFile.project_id)
    ).all()
    slugs = slugs_of([project_id for project_id, _files, _used in rows])
    return sorted((ProjectUsage(slugs[project_id], files, used) for project_id, files, used in rows
                   if project_id in slugs), key=lambda usage: usage.slug)


def blob_rows(connection):
    """(sha256, size) of every blob row, read on `connection` (a backup's snapshot)."""
    return connection.execute(select(Blob.sha256, Blob.size).order_by(Blob.id))


def blob_problems(check_hash: bool = False) -> list[tuple[str, str]]:
    """(problem, sha256) for every blob row missing from the store, of the wrong size or (with
    `check_hash`) whose bytes no longer hash to its name. One listing of the store, not one
    request per blob (S3)."""
    store = blob_store()
    stored = {item.sha256: item.size for item in store.blobs()}
    problems = []
    for sha256, size in db.session.execute(select(Blob.sha256, Blob.size).order_by(Blob.id)):
        if sha256 not in stored:
            problems.append(("missing", sha256))
        elif stored[sha256] != size:
            problems.append(("size", sha256))
        elif check_hash and hash_of(store, sha256) != sha256:
            problems.append(("corrupt", sha256))
    return problems


def remove_abandoned_files(older_than_minutes: int, *, dry_run: bool = False) -> int:
    """Temporary uploads on this machine, blobs no database row refers to and (S3) multipart
    uploads never completed, older than the cut-off: removed (or only counted with `dry_run`);
    returns how many."""
    store = blob_store()
    cutoff = time.time() - older_than_minutes * 60
    known = set(db.session.execute(select(Blob.sha256)).scalars())
    removed = 0
    for path in storage.temp_dir().iterdir():
        if path.is_file() and path.stat().st_mtime <= cutoff:
            removed += 1
            if not dry_run:
                path.unlink(missing_ok=True)
    for item in list(store.blobs()):
        if item.sha256 not in known and item.modified <= cutoff:
            removed += 1
            if not dry_run:
                store.delete(item.sha256)
    if not dry_run:
        removed += store.abort_abandoned_uploads(cutoff)
    return removed


def hash_of(store, sha256: str) -> str:
    """The SHA-256 of a stored blob, read in chunks."""
    digest = hashlib.sha256()
    with store.open(sha256) as handle:
        while chunk := handle.read(storage.CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()
