"""`flask users create EMAIL --name NAME --password PASSWORD [--admin] [--manager]`,
`users disable|enable EMAIL`, `users grant|revoke EMAIL manager|admin`."""
import click
from flask.cli import with_appcontext

from ..core.errors import DomainError
from .services import SITE_ROLES, register_user, set_site_role


@click.group("users", help="Manage user accounts.")
def users_cli():
    pass


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--admin", is_flag=True, help="Make the user a site administrator.")
@click.option("--manager", is_flag=True, help="Make the user a programme manager.")
@with_appcontext
def create_user(email: str, name: str, password: str, admin: bool, manager: bool):
    """Create a user account."""
    try:
        user = register_user(email, name, password, is_admin=admin, is_manager=manager)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    roles = [role for role, flag in (("administrator", admin), ("programme manager", manager))
             if flag]
    click.echo(f"Created user {user.email} (id {user.id})"
               f"{' as ' + ' and '.join(roles) if roles else ''}.")


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


def _set_role(email: str, role: str, granted: bool) -> None:
    try:
        user = set_site_role(email, role, granted)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{user.email} {'is now' if granted else 'is no longer'} {role}.")


@users_cli.command("grant")
@click.argument("email")
@click.argument("role", type=click.Choice(SITE_ROLES))
@with_appcontext
def grant_role(email: str, role: str):
    """Give a user a site role (manager: runs open calls)."""
    _set_role(email, role, True)


@users_cli.command("revoke")
@click.argument("email")
@click.argument("role", type=click.Choice(SITE_ROLES))
@with_appcontext
def revoke_role(email: str, role: str):
    """Take a site role away from a user."""
    _set_role(email, role, False)
