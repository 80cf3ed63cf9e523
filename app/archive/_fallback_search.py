"""TEMPORARY stand-in for `app.search.service` while it is being built (removed once it lands).
Substring match on published records, facet counts in Python. Same signature and result shape."""
from collections import Counter
from dataclasses import dataclass, field

from markupsafe import escape

from .indexing import iter_indexable_records


@dataclass
class Hit:
    slug: str
    score: float
    highlight: str


@dataclass
class SearchResults:
    total: int
    page: int
    per_page: int
    hits: list
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None


FIELDS = {"country": "country", "area": "areas", "technology": "technologies",
          "language": "language", "year": "year", "lead_kind": "lead_kind",
          "lead_size": "lead_size", "budget_range": "budget_range"}


def _values(record, name):
    value = record[FIELDS[name]]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def search_case_studies(q, filters, page, per_page, sort="relevance"):
    records = [r for r in iter_indexable_records()
               if not q or q.lower() in (r["title"] + " " + r["summary"] + " " + r["body"]).lower()]
    matched = [r for r in records if all(set(_values(r, n)) & set(v) for n, v in filters.items())]
    facets = {}
    for name in FIELDS:
        counter = Counter()
        for r in records:
            if all(set(_values(r, n)) & set(v) for n, v in filters.items() if n != name):
                counter.update(_values(r, name))
        facets[name] = dict(counter)
    matched.sort(key=lambda r: r["published_at"], reverse=True)
    chunk = matched[(page - 1) * per_page: page * per_page]
    return SearchResults(len(matched), page, per_page,
                         [Hit(r["slug"], 1.0, str(escape(r["summary"][:200]))) for r in chunk],
                         facets, None)


def similar_case_studies(slug, limit=4):
    return [r["slug"] for r in iter_indexable_records() if r["slug"] != slug][:limit]
