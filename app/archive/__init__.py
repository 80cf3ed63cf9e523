"""The public archive: case studies, their publishing workflow, public pages, open data."""
from flask import Blueprint

bp = Blueprint("archive", __name__)

from . import models, routes  # noqa: E402,F401
