"""Site-wide pages: the home page, /healthz, and the language switch."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from . import routes  # noqa: E402,F401
from ..core import realtime  # noqa: E402,F401  (registers the connect handler)
