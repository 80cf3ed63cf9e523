"""Registers the CLI groups: `seed demo` here; features add their own groups in `register()`."""
from importlib import import_module
from importlib.util import find_spec

import click
from flask import Flask
from flask.cli import with_appcontext

from .auth.services import has_users

#: the order in which `seed demo` runs each feature's demo loader (each idempotent)
DEMO_LOADERS = (
    "app.orgs.demo", "app.projects.demo", "app.documents.demo", "app.files.demo",
    "app.discussion.demo", "app.chat.demo", "app.archive.demo", "app.calls.demo",
    "app.evaluation.demo", "app.pilots.demo",
)


@click.group("seed", help="Load demo data.")
def seed_cli():
    pass


@seed_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no users yet.")
@with_appcontext
def seed_demo(if_empty: bool):
    """Load the demo (idempotent: running it twice changes nothing)."""
    if if_empty and has_users():
        click.echo("The database already has users; demo data not loaded.")
        return
    for name in DEMO_LOADERS:
        if find_spec(name) is None:
            continue
        loader = import_module(name)
        summary = loader.load_demo()
        click.echo(f"{name.split('.')[1]:>12}: {summary}")
    click.echo("Demo data ready. Sign in as anna@museo-demo.eu with password 'demo-password'.")


def register_cli(app: Flask) -> None:
    from .backup.cli import backup_cli

    app.cli.add_command(seed_cli)
    app.cli.add_command(backup_cli)
