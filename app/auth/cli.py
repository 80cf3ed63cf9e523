"""`flask users create EMAIL --name NAME --password PASSWORD [--admin]`, `users disable|enable EMAIL`."""
import click
from flask.cli import with_appcontext

from ..core.errors import ValidationError
from .services import register_user


@click.group("users", help="Manage user accounts.")
def users_cli():
    pass


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--admin", is_flag=True, help="Make the user a site administrator.")
@with_appcontext
def create_user(email: str, name: str, password: str, admin: bool):
    """Create a user account."""
    try:
        user = register_user(email, name, password, is_admin=admin)
    except ValidationError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created user {user.email} (id {user.id}){' as administrator' if admin else ''}.")


def _account(email: str):
    from .services import find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with email {email!r}.")
    return user


@users_cli.command("disable")
@click.argument("email")
@with_appcontext
def disable_user(email: str):
    """Disable an account: it can no longer sign in and every session of it ends at once."""
    from .services import set_account_active

    user = _account(email)
    changed = set_account_active(None, user, False, as_operator=True)
    click.echo(f"Disabled {user.email}; every session ended." if changed
               else f"{user.email} was already disabled.")


@users_cli.command("enable")
@click.argument("email")
@with_appcontext
def enable_user(email: str):
    """Enable a disabled account again (its owner signs in afresh)."""
    from .services import set_account_active

    user = _account(email)
    changed = set_account_active(None, user, True, as_operator=True)
    click.echo(f"Enabled {user.email}." if changed else f"{user.email} was already enabled.")
