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


@archive_cli.group("vocabulary", help="The technology vocabulary (app/archive/technologies.json).")
def vocabulary_cli():
    pass


@vocabulary_cli.command("check")
@click.option("--min-count", default=1, show_default=True, type=click.IntRange(1, None),
              help="List only free tags used by at least this many case studies.")
@with_appcontext
def vocabulary_check(min_count: int):
    """List free tags worth adding (with counts); exit 1 when a technology lacks a name."""
    from .tag_report import vocabulary_report

    report = vocabulary_report(min_count)
    click.echo(f"Vocabulary: {report.technologies} technologies, {report.phrases} names and "
               "synonyms.")
    if report.free_tags:
        click.echo("Free tags not in the vocabulary, most used first (count, tag):")
        for item in report.free_tags:
            hint = f"  (close to {item.close_to}: a misspelling?)" if item.close_to else ""
            click.echo(f"{item.count:>6}  {item.tag}{hint}")
    else:
        click.echo("Every tag is in the vocabulary.")
    for key, lang in report.missing_names:
        click.echo(f"missing name: {key} has no name in {lang}", err=True)
    if report.missing_names:
        raise SystemExit(1)
