"""Accounts: register, sign in/out, passwords, profiles, and the `users` CLI."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import models, routes  # noqa: E402,F401


def register(app) -> None:
    from ..extensions import login_manager
    from .cli import users_cli
    from .services import get_user_or_none

    login_manager.user_loader(get_user_or_none)
    app.cli.add_command(users_cli)
