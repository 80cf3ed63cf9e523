"""Site-wide pages: the home page, /healthz, the language switch, robots.txt and the sitemap,
the start page, and the footer's pages (privacy, imprint, accessibility)."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from . import crawler_routes, models, page_routes, routes  # noqa: E402,F401
from ..core import realtime  # noqa: E402,F401  (registers the connect handler)


def register(app) -> None:
    from .crawlers import register_site_pages

    register_site_pages(app)
