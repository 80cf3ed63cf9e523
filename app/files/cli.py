"""`flask files ...`: storage housekeeping for operators (usage, verify, cleanup)."""
import hashlib
import time

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..extensions import db
from ..projects.models import Project
from . import storage
from .models import Blob, FileVersion, ProjectFile


@click.group("files", help="Uploaded files: storage usage, integrity checks, cleanup.")
def files_cli():
    pass


@files_cli.command("usage")
@with_appcontext
def usage():
    """Bytes used per project (every version counts) against the quota."""
    from .services import MB, quota_bytes

    rows = db.session.execute(
        select(Project.slug, func.count(func.distinct(ProjectFile.id)),
               func.coalesce(func.sum(Blob.size), 0))
        .join(ProjectFile, ProjectFile.project_id == Project.id)
        .join(FileVersion, FileVersion.file_id == ProjectFile.id)
        .join(Blob, FileVersion.blob_id == Blob.id)
        .group_by(Project.slug).order_by(Project.slug)
    ).all()
    quota = quota_bytes()
    for slug, files, used in rows:
        click.echo(f"{slug:40} {files:6} files {used / MB:10.1f} MB "
                   f"({100 * used / quota:5.1f}% of {quota // MB} MB)")
    if not rows:
        click.echo("No files yet.")


@files_cli.command("verify")
@click.option("--hash", "check_hash", is_flag=True, help="Also re-hash every blob (slow).")
@with_appcontext
def verify(check_hash: bool):
    """Check that every stored blob is on disk with the right size (and hash)."""
    problems = 0
    blobs = db.session.execute(select(Blob).order_by(Blob.id)).scalars()
    for blob in blobs:
        path = storage.blob_path(blob.sha256)
        if not path.is_file():
            click.echo(f"missing   {blob.sha256}", err=True)
            problems += 1
        elif path.stat().st_size != blob.size:
            click.echo(f"size      {blob.sha256}", err=True)
            problems += 1
        elif check_hash and _sha256(path) != blob.sha256:
            click.echo(f"corrupt   {blob.sha256}", err=True)
            problems += 1
    if problems:
        raise click.ClickException(f"{problems} problem(s) found.")
    click.echo("All blobs present and intact.")


@files_cli.command("cleanup")
@click.option("--older-than", default=60, show_default=True, help="Minutes.")
@click.option("--dry-run", is_flag=True)
@with_appcontext
def cleanup(older_than: int, dry_run: bool):
    """Remove abandoned temporary uploads and blob files no database row refers to."""
    root = storage.upload_root()
    cutoff = time.time() - older_than * 60
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
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {removed} file(s).")


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(storage.CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()
