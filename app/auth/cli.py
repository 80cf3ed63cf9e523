"""`flask users create EMAIL --name NAME --password PASSWORD [--admin]`."""
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
