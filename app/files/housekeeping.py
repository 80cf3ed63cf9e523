"""Storage housekeeping for operators (the `flask files` commands call these): bytes used per
project, blob integrity, removing abandoned uploads. No user and no policy: the CLI is a trusted
door; nothing here changes a database row.
"""
import hashlib
import time
from dataclasses import dataclass

from sqlalchemy import func, select

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


def blob_problems(check_hash: bool = False) -> list[tuple[str, str]]:
    """(problem, sha256) for every stored blob missing on disk, of the wrong size or (with
    `check_hash`) whose bytes no longer hash to its name."""
    problems = []
    for blob in db.session.execute(select(Blob).order_by(Blob.id)).scalars():
        path = storage.blob_path(blob.sha256)
        if not path.is_file():
            problems.append(("missing", blob.sha256))
        elif path.stat().st_size != blob.size:
            problems.append(("size", blob.sha256))
        elif check_hash and _sha256(path) != blob.sha256:
            problems.append(("corrupt", blob.sha256))
    return problems


def remove_abandoned_files(older_than_minutes: int, *, dry_run: bool = False) -> int:
    """Temporary uploads and blob files no database row refers to, older than the cut-off:
    removed (or only counted with `dry_run`); returns how many."""
    root = storage.upload_root()
    cutoff = time.time() - older_than_minutes * 60
    known = set(db.session.execute(select(Blob.sha256)).scalars())
    removed = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        is_temp = path.parent == root / "tmp"
        if is_temp or (len(path.name) == 64 and path.name not in known):
            removed += 1
            if not dry_run:
                path.unlink(missing_ok=True)
    return removed


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(storage.CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()
