"""Projects: workspaces, members and roles, invitations, status, activity, the dashboard."""
from flask import Blueprint

bp = Blueprint("projects", __name__)

from . import models, routes  # noqa: E402,F401
