"""`flask archive import FILE.json`: bring earlier case studies into the archive."""
import json
import sys

import click
from flask.cli import with_appcontext


@click.group("archive", help="Manage the public archive of case studies.")
def archive_cli():
    pass


@archive_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(path: str):
    """Import case studies from a JSON list of records (see docs/import.md)."""
    from .importing import import_records

    try:
        with open(path, encoding="utf-8") as handle:
            records = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"Could not read {path}: {error}") from None
    if not isinstance(records, list):
        raise click.ClickException("The file must contain a JSON list of records.")
    with click.progressbar(length=len(records), label="Importing case studies",
                           file=sys.stderr) as bar:
        report = import_records(records, progress=bar.update)
    click.echo(report.summary())
    for number, label, message in report.errors:
        click.echo(f"  record {number} ({label or 'untitled'}): {message}", err=True)
    if report.errors:
        sys.exit(1)
