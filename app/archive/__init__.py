"""The public archive: case studies, their publishing workflow, public pages, open data."""
from flask import Blueprint

bp = Blueprint("archive", __name__)

from . import api, models, routes  # noqa: E402,F401


def register(app) -> None:
    from .cli import archive_cli

    app.cli.add_command(archive_cli)
