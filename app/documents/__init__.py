"""Shared Markdown documents with full history, diff, and live co-editing (coedit/)."""
from flask import Blueprint

bp = Blueprint("documents", __name__)

from . import api, events, models, routes  # noqa: E402,F401
from .coedit import models as coedit_models  # noqa: E402,F401


def register(app) -> None:
    from .cli import documents_cli

    app.cli.add_command(documents_cli)
