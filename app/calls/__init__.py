"""Open calls of the programme: public pages, the managers' editor, Atom feed, API, CLI."""
from flask import Blueprint

bp = Blueprint("calls", __name__)

from . import api, application_models, models, routes  # noqa: E402,F401


def register(app) -> None:
    from .cli import calls_cli

    app.cli.add_command(calls_cli)
