"""`flask --app wsgi search reindex|check|drain`: rebuild, verify and catch up this machine's index."""
import click
from flask.cli import with_appcontext

from . import services


@click.group("search", help="Maintain the search index of published case studies.")
def search_cli():
    pass


@search_cli.command("reindex")
@with_appcontext
def reindex():
    """Rebuild this machine's index beside the live one and swap it in (queries keep working)."""
    total = services.records_to_index()
    with click.progressbar(length=total, label="Indexing case studies") as bar:
        count = services.rebuild_index(progress=bar.update)
    click.echo(f"Indexed {count} published case studies.")


@search_cli.command("check")
@click.option("--verbose", "-v", is_flag=True, help="List every differing slug.")
@with_appcontext
def check(verbose: bool):
    """Compare the index with the database; exit 1 when they differ."""
    report = services.check_index()
    lag = services.index_lag()
    click.echo(f"Published: {report.published}  indexed: {report.indexed}  "
               f"change-log lag: {'no index yet' if lag is None else lag}")
    for label, slugs in (("missing", report.missing), ("stale", report.stale),
                         ("extra", report.extra)):
        shown = slugs if verbose else slugs[:20]
        more = f" (+{len(slugs) - len(shown)} more)" if len(slugs) > len(shown) else ""
        click.echo(f"{label}: {len(slugs)}" + (f"  {', '.join(shown)}{more}" if slugs else ""))
    if report.in_sync:
        click.echo("The index matches the database.")
        return
    click.echo("The index differs from the database: run `flask search drain` or "
               "`flask search reindex`.", err=True)
    raise SystemExit(1)


@search_cli.command("drain")
@with_appcontext
def drain():
    """Apply the change-log entries this machine's index lacks (safe to run at any time)."""
    applied = services.apply_pending_changes()
    left = services.index_lag()
    click.echo(f"Applied {applied} index changes; lag {left}.")
    if left:
        raise SystemExit(1)
