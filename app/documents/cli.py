"""`flask documents ...`: maintenance of the co-editing state."""
import click
from flask.cli import AppGroup

from .coedit import sessions

documents_cli = AppGroup("documents", help="Workspace documents.")


@documents_cli.command("compact")
def compact() -> None:
    """Fold every co-editing update already in a revision into its document's snapshot."""
    folded = sessions.compact_all()
    click.echo(f"Folded {folded} updates into snapshots.")
