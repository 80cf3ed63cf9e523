"""`flask calls propose SLUG [--json]`: the balanced selection of a call from the command line,
added to the calls feature's `calls` group at start-up (`register_commands`)."""
import json

import click
from flask.cli import with_appcontext

from ..calls.cli import calls_cli
from ..core.errors import DomainError
from . import services
from .reasons import proposal_json


@click.command("propose")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON.")
@with_appcontext
def propose_command(slug, as_json):
    """Propose the selection that maximises the total consensus score under the call's rules."""
    try:
        result = proposal_json(services.propose_for_slug(slug))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'Feasible' if result['feasible'] else 'Infeasible'}: "
               f"{len(result['selected'])} selected, total score {result['total_score']}, "
               f"EUR {result['budget_used']:,} used.")
    for country, count in result["per_country"].items():
        click.echo(f"  {country}: {count}")
    if result["relax"]:
        click.echo(result["relax"])


def register_commands() -> None:
    calls_cli.add_command(propose_command)
