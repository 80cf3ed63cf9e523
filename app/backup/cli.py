"""`flask backup create|restore PATH`: the operator's door to backups (`services.py`)."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..core.errors import DomainError
from . import services

MB = 1024 * 1024


@click.group("backup", help="Back up the installation into a folder, or restore one into an "
                            "empty installation.")
def backup_cli():
    pass


@backup_cli.command("create")
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def create(path: Path):
    """Write every table and every stored file into PATH (a new or empty folder)."""
    try:
        with click.progressbar(length=services.backup_size(), label="Backing up") as bar:
            summary = services.create_backup(path, as_operator=True, progress=bar.update)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Backed up {summary.rows} rows of {summary.tables} tables and {summary.blobs} "
               f"files ({summary.blob_bytes / MB:.1f} MB) into {summary.path}.")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def restore(path: Path):
    """Load the backup in PATH into this installation, which must be empty (after `db upgrade`)."""
    try:
        length = services.restore_size(services.read_manifest(path))
        with click.progressbar(length=length, label="Restoring") as bar:
            summary = services.restore_backup(path, as_operator=True, progress=bar.update)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Restored {summary.rows} rows of {summary.tables} tables and {summary.blobs} "
               f"files from {summary.path}; the search index was rebuilt.")
