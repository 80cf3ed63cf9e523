"""Search: this machine's Whoosh index, the change log it follows, the query service and the
CLI. Imports no feature.

What to index comes from the record source a feature registers at start-up (`records.py`;
the archive registers published case studies). Features call `services` only: the archive's
services `enqueue_index_change` before their commit and `apply_pending_changes` after it, its
public pages `search_case_studies` and `similar_case_studies`.
"""
from flask import Blueprint

bp = Blueprint("search", __name__)

from . import models  # noqa: E402,F401  (the SearchChange table)


def register(app) -> None:
    from .cli import search_cli

    app.cli.add_command(search_cli)
