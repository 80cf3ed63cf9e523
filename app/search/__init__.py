"""Search: the Whoosh index of published case studies, its outbox, the query service and CLI.

Archive pages and the API call `service.search_case_studies`; the archive's services call
`outbox.enqueue_index_change` before their commit and `outbox.drain_outbox` after it.
"""
from flask import Blueprint

bp = Blueprint("search", __name__)

from . import outbox  # noqa: E402,F401  (the SearchOutbox model)


def register(app) -> None:
    from .cli import search_cli

    app.cli.add_command(search_cli)
