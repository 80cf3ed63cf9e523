"""Shared Markdown documents with full history, diff, three-way merge and conflict pages."""
from flask import Blueprint

bp = Blueprint("documents", __name__)

from . import api, models, routes  # noqa: E402,F401
