"""The public archive: case studies, their publishing workflow, public pages, open data."""
from flask import Blueprint

bp = Blueprint("archive", __name__)

from . import api, models, routes  # noqa: E402,F401


def register(app) -> None:
    from ..search.records import register_record_source
    from .cli import archive_cli
    from .indexing import RECORD_SOURCE

    app.cli.add_command(archive_cli)
    register_record_source(app, RECORD_SOURCE)
