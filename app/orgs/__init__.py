"""Organisations and the partner directory."""
from flask import Blueprint

bp = Blueprint("orgs", __name__)

from . import models, routes  # noqa: E402,F401
