"""Open calls of the programme: public pages, the managers' editor, Atom feed, API, CLI."""
from flask import Blueprint

bp = Blueprint("calls", __name__)

from . import (api, application_models, application_routes, manager_routes,  # noqa: E402,F401
               models, routes)


def register(app) -> None:
    from flask import url_for

    from ..core.dashboard import register_dashboard_panel
    from ..core.pagecache import watch_models
    from ..core.sitemap import listing_source, register_sitemap_source
    from .application_queries import applications_for
    from .cli import calls_cli
    from .models import Call, CallCriterion
    from .queries import sitemap_rows, sitemap_summary

    app.cli.add_command(calls_cli)
    # the call pages are cached for anonymous visitors (core/pagecache.py)
    watch_models(app, "calls", Call, CallCriterion)
    register_dashboard_panel(app, "calls/_dashboard_panel.html",
                             lambda user: applications_for(user) or None)
    register_sitemap_source(app, "calls", listing_source(
        lambda: [url_for("calls.index", _external=True)], sitemap_summary, sitemap_rows,
        lambda slug: url_for("calls.call", slug=slug, _external=True)))
