"""Discussion: threaded conversations in each workspace, with mentions and document links."""
from flask import Blueprint

bp = Blueprint("discussion", __name__)

from . import api, models, routes  # noqa: E402,F401


def register(app) -> None:
    from ..core.text import initials

    app.jinja_env.filters.setdefault("initials", initials)
