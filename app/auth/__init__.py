"""Accounts: register, sign in/out, passwords, profiles, sign-in sessions, and the `users` CLI."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import models, routes, session_routes  # noqa: E402,F401


def register(app) -> None:
    from ..core import connections
    from ..extensions import login_manager
    from . import sessions
    from .cli import users_cli

    # The cookies name a server-side session, not just the user (see sessions.py).
    login_manager.id_attribute = "sign_in_id"
    login_manager.user_loader(sessions.load_signed_in_user)
    connections.register_session_check(sessions.session_is_current, sessions.session_of)
    app.before_request(_note_last_seen)
    app.cli.add_command(users_cli)


def _note_last_seen() -> None:
    from flask import request
    from flask_login import current_user

    from .sessions import touch

    if request.endpoint != "static" and current_user.is_authenticated:
        touch(current_user)
