"""`flask calls create SLUG --title ... --opens ... --closes ... --budget ... --max-grant ...`,
`flask calls status SLUG open|closed|evaluated|decided` and `flask calls import FILE.json`:
the operator's door to calls."""
import json
import sys

import click
from flask.cli import with_appcontext

from ..core.errors import DomainError
from . import importer, queries, services
from .models import STATUSES
from .validation import defaults


@click.group("calls", help="Manage the programme's open calls.")
def calls_cli():
    pass


@calls_cli.command("create")
@click.argument("slug")
@click.option("--title", required=True, help="Title in the main language.")
@click.option("--description", default="", help="Description (Markdown); defaults to the title.")
@click.option("--language", default="en", show_default=True, help="The call's main language.")
@click.option("--opens", required=True, help="Local date and time, e.g. 2026-02-01T09:00.")
@click.option("--closes", required=True, help="Local date and time, e.g. 2026-03-31T17:00.")
@click.option("--timezone", default="Europe/Brussels", show_default=True)
@click.option("--budget", required=True, help="Total budget in EUR.")
@click.option("--max-grant", required=True, help="Maximum grant per project in EUR.")
@click.option("--area", "areas", multiple=True, help="An application area (repeatable); "
              "default all.")
@with_appcontext
def create_command(slug, title, description, language, opens, closes, timezone, budget,
                   max_grant, areas):
    """Create a call as a draft, with the programme's default rules and criteria."""
    from ..projects.areas import APPLICATION_AREAS

    data = defaults() | {
        "slug": slug, "language": language, "timezone": timezone, "opens": opens,
        "closes": closes, "budget_eur": budget, "max_grant_eur": max_grant,
        "areas": list(areas) or list(APPLICATION_AREAS),
        "texts": {language: {"title": title, "description": description or title}}}
    try:
        call = services.create_call(data)
    except DomainError as error:
        raise click.ClickException(f"{error.field or 'call'}: {error.message}") from None
    click.echo(f"Created call {call.slug} (draft), closing {call.closes_at:%Y-%m-%d %H:%M} UTC.")


@calls_cli.command("status")
@click.argument("slug")
@click.argument("status", type=click.Choice([s for s in STATUSES if s != "draft"]))
@with_appcontext
def status_command(slug, status):
    """Move a call on to its next status."""
    try:
        call = services.change_status(queries.find_call(slug), status)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Call {call.slug} is now {call.status}.")



@calls_cli.command("import")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_command(file):
    """Import a call and its submitted applications from a JSON file (see docs/calls.md)."""
    try:
        data = json.loads(file.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"Not a JSON file: {error}") from None
    try:
        report = importer.import_programme(data)
    except DomainError as error:
        raise click.ClickException(f"{error.field or 'call'}: {error.message}") from None
    for ref, reason in report.refused:
        click.echo(f"refused {ref}: {reason}", err=True)
    click.echo(f"Call {report.call.slug} {'created' if report.call_created else 'updated'}; "
               f"applications: {report.created} created, {report.updated} updated, "
               f"{report.unchanged} unchanged, {len(report.refused)} refused.")
    if report.refused:
        sys.exit(1)
