"""`flask files ...`: storage housekeeping for operators (usage, verify, cleanup).

A door: it parses options, calls `housekeeping` and prints; it queries nothing itself.
"""
import click
from flask.cli import with_appcontext

from . import housekeeping
from .services import MB, quota_bytes


@click.group("files", help="Uploaded files: storage usage, integrity checks, cleanup.")
def files_cli():
    pass


@files_cli.command("usage")
@with_appcontext
def usage():
    """Bytes used per project (every version counts) against the quota."""
    rows = housekeeping.usage_by_project()
    quota = quota_bytes()
    for row in rows:
        click.echo(f"{row.slug:40} {row.files:6} files {row.used / MB:10.1f} MB "
                   f"({100 * row.used / quota:5.1f}% of {quota // MB} MB)")
    if not rows:
        click.echo("No files yet.")


@files_cli.command("verify")
@click.option("--hash", "check_hash", is_flag=True, help="Also re-hash every blob (slow).")
@with_appcontext
def verify(check_hash: bool):
    """Check that every blob is in the store (folder or S3) with the right size (and hash)."""
    problems = housekeeping.blob_problems(check_hash)
    for problem, sha256 in problems:
        click.echo(f"{problem:9} {sha256}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found.")
    click.echo("All blobs present and intact.")


@files_cli.command("cleanup")
@click.option("--older-than", default=60, show_default=True, help="Minutes.")
@click.option("--dry-run", is_flag=True)
@with_appcontext
def cleanup(older_than: int, dry_run: bool):
    """Remove abandoned temporary uploads, blobs no database row refers to and (S3)
    multipart uploads never completed."""
    removed = housekeeping.remove_abandoned_files(older_than, dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {removed} file(s).")
