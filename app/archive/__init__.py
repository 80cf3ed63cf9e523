"""The public archive: case studies, their publishing workflow, public pages, open data, and
the harvesting door (OAI-PMH at /oai, its own blueprint so protocol errors stay XML)."""
from flask import Blueprint

bp = Blueprint("archive", __name__)

from . import api, models, routes, translation_routes  # noqa: E402,F401


def register(app) -> None:
    from ..core.sitemap import register_sitemap_source
    from ..search.records import register_record_source
    from .cli import archive_cli
    from .discovery import SITEMAP_SOURCE
    from .indexing import RECORD_SOURCE
    from .oai_routes import oai_bp
    from .queries import technology_label

    app.register_blueprint(oai_bp)
    app.cli.add_command(archive_cli)
    app.jinja_env.filters["technology"] = technology_label
    register_record_source(app, RECORD_SOURCE)
    register_sitemap_source(app, "archive", SITEMAP_SOURCE)
