"""Open calls of the programme: public pages, the managers' editor, Atom feed, API, CLI."""
from flask import Blueprint

bp = Blueprint("calls", __name__)

from . import (api, application_models, application_routes, manager_routes,  # noqa: E402,F401
               models, routes)


def register(app) -> None:
    from ..core.dashboard import register_dashboard_panel
    from .application_queries import applications_for
    from .cli import calls_cli

    app.cli.add_command(calls_cli)
    register_dashboard_panel(app, "calls/_dashboard_panel.html",
                             lambda user: applications_for(user) or None)
