"""What crawlers read: `robots.txt` and the sitemap (an index of pages of at most 50,000 URLs,
built from the sources features register with `app.core.sitemap`)."""
from datetime import datetime
from xml.sax.saxutils import escape

from flask import current_app, url_for

from ..core.errors import NotFound
from ..core.sitemap import URLS_PER_PAGE, SitemapSource, register_sitemap_source
from ..core.sitemap import sitemap_sources

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: where nothing is public: workspaces, accounts, curators' and managers' screens, the private
#: API. tests/main/test_crawlers.py walks every route to keep this list whole.
PRIVATE_PATHS = (
    "/projects/", "/auth/", "/users/", "/invitations/", "/notifications/", "/archive/review",
    "/orgs/new", "/orgs/verification", "/orgs/*/edit", "/calls/new", "/calls/*/edit",
    "/calls/*/apply", "/calls/*/applications", "/calls/*/evaluat", "/calls/*/selection", "/calls/*/grants",
    "/applications", "/archive/*/translate", "/start", "/about/*/edit",
    "/api/v1/projects", "/socket.io/", "/language", "/healthz", "/readyz",
    "/metrics",
)


def _page_size() -> int:
    return current_app.config.get("SITEMAP_URLS_PER_PAGE", URLS_PER_PAGE)


def _moment(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def robots_txt() -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PATHS), "Allow: /", "",
             f"Sitemap: {url_for('main.sitemap_index', _external=True)}", ""]
    return "\n".join(lines)


def sitemap_index_xml() -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for name, source in sitemap_sources(current_app).items():
        count, newest = source.summary()
        for number in range(1, -(-count // _page_size()) + 1):
            loc = url_for("main.sitemap_page", name=name, number=number, _external=True)
            lastmod = f"<lastmod>{_moment(newest)}</lastmod>" if newest else ""
            parts.append(f"<sitemap><loc>{escape(loc)}</loc>{lastmod}</sitemap>")
    parts.append("</sitemapindex>")
    return "\n".join(parts)


def sitemap_page_xml(name: str, number: int) -> str:
    source = sitemap_sources(current_app).get(name)
    size = _page_size()
    urls = source.urls((number - 1) * size, size) if source and number >= 1 else []
    if not urls:
        raise NotFound()
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for loc, lastmod in urls:
        modified = f"<lastmod>{_moment(lastmod)}</lastmod>" if lastmod else ""
        parts.append(f"<url><loc>{escape(loc)}</loc>{modified}</url>")
    parts.append("</urlset>")
    return "\n".join(parts)


def _site_pages(offset: int, limit: int) -> list[tuple[str, datetime | None]]:
    pages = [(url_for("main.home", _external=True), None),
             (url_for("orgs.directory", _external=True), None)]
    return pages[offset:offset + limit]


def register_site_pages(app) -> None:
    register_sitemap_source(app, "pages", SitemapSource(summary=lambda: (2, None),
                                                        urls=_site_pages))
