"""Operators' CLI: `flask --app wsgi orgs verify SLUG`, `orgs approve-member SLUG EMAIL`.

A trusted door (no signed-in user): it goes through the same services with `as_operator=True`
and says what it did; every refusal is a ClickException (readable message, exit status 1).
"""
import click
from flask.cli import with_appcontext

from ..core.errors import DomainError
from . import members, services, verification


@click.group("orgs", help="Verify organisations and approve their members.")
def orgs_cli():
    pass


def _organisation(slug: str):
    try:
        return services.get_organisation(slug)
    except DomainError:
        raise click.ClickException(f"No organisation with slug {slug!r}.") from None


@orgs_cli.command("verify")
@click.argument("slug")
@with_appcontext
def verify(slug: str):
    """Verify an organisation (and the membership of the person who added it)."""
    org = _organisation(slug)
    if verification.verify_organisation(None, org, as_operator=True):
        click.echo(f"Verified {org.name} ({org.slug}).")
    else:
        click.echo(f"{org.name} ({org.slug}) was already verified.")


@orgs_cli.command("approve-member")
@click.argument("slug")
@click.argument("email")
@with_appcontext
def approve_member(slug: str, email: str):
    """Approve EMAIL's request to join the organisation SLUG."""
    org = _organisation(slug)
    row = members.find_member_request(org, email)
    if row is None:
        raise click.ClickException(f"{email} has not asked to join {org.slug}: they ask from the "
                                   f"organisation's page first.")
    if row.status == "verified":
        click.echo(f"{row.user.email} is already a member of {org.name}.")
        return
    try:
        members.decide_request(None, org, row.user_id, approve=True, as_operator=True)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    note = "" if org.is_verified else " (the organisation itself is not verified yet)"
    click.echo(f"{row.user.email} is now a member of {org.name}{note}.")
