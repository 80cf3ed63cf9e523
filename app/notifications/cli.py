"""`flask notifications send-digest`: email each user their unread notifications once."""
import click
from flask.cli import with_appcontext


@click.group("notifications", help="Notifications: email digests.")
def notifications_cli():
    pass


@notifications_cli.command("send-digest")
@with_appcontext
def send_digest_command():
    """Send the daily digest (does nothing, successfully, when SMTP_HOST is not set)."""
    from .digest import send_digest

    _sent, message = send_digest()
    click.echo(message)
