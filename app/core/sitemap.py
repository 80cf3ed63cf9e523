"""The sitemap's registry: features tell it which public pages they have, the main blueprint
serves `/sitemap.xml` (an index) and its pages from what was registered.

A source is registered at start-up from a feature's `register(app)`, like search's record
source, so this room never imports a feature. Each source answers `summary()` -> (number of
URLs, newest modification or None) and `urls(offset, limit)` -> [(absolute URL, lastmod or
None)], both reading a fixed number of statements.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

#: the protocol's limit of URLs in one sitemap file (https://www.sitemaps.org/protocol.html)
URLS_PER_PAGE = 50_000


@dataclass(frozen=True)
class SitemapSource:
    summary: Callable[[], tuple[int, datetime | None]]
    urls: Callable[[int, int], list[tuple[str, datetime | None]]]


def register_sitemap_source(app, name: str, source: SitemapSource) -> None:
    app.extensions.setdefault("sitemap_sources", {})[name] = source


def sitemap_sources(app) -> dict[str, SitemapSource]:
    return dict(sorted(app.extensions.get("sitemap_sources", {}).items()))


def listing_source(index_urls: Callable[[], list[str]],
                   summary: Callable[[], tuple[int, datetime | None]],
                   rows: Callable[[int, int], list[tuple[str, datetime | None]]],
                   url_of: Callable[[str], str]) -> SitemapSource:
    """A feature's index pages (their lastmod: the newest change), then one URL per row:
    `summary()` counts the rows, `rows(offset, limit)` gives (slug, lastmod), `url_of(slug)`."""

    def count_and_newest():
        count, newest = summary()
        return count + len(index_urls()), newest

    def urls(offset: int, limit: int) -> list[tuple[str, datetime | None]]:
        index = index_urls()
        newest = summary()[1] if offset < len(index) else None
        head = [(url, newest) for url in index[offset:offset + limit]]
        rest = limit - len(head)
        return head + ([(url_of(slug), moment) for slug, moment in
                        rows(max(0, offset - len(index)), rest)] if rest > 0 else [])

    return SitemapSource(summary=count_and_newest, urls=urls)
