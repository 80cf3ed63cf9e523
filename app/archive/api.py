"""The archive's open-data API on `app.api.bp`: search and read published case studies."""
from flask import jsonify, request

from ..api import bp, public_endpoint
from . import queries
from .opendata import public_json, version_url

API_FACETS = ("country", "area", "technology", "language", "year", "lead_kind", "lead_size",
              "budget_range")


@bp.route("/case-studies")
@public_endpoint
def case_studies():
    results = queries.search_archive(request.args, strict=True, default_per_page=20)
    return jsonify(
        total=results.total, page=results.page, per_page=results.per_page,
        results=[{
            "slug": item.slug, "title": item.snapshot.get("title"),
            "summary": item.snapshot.get("summary"), "country": item.country,
            "areas": item.snapshot.get("areas") or [],
            "technologies": item.snapshot.get("technologies") or [],
            "language": item.shown_language, "original_language": item.original_language,
            "year": item.snapshot.get("year"), "url": version_url(item),
            "highlight": item.highlight,
        } for item in results.items],
        facets={name: {str(k): v for k, v in (results.facets.get(name) or {}).items()}
                for name in API_FACETS},
        suggestion=results.suggestion,
    )


@bp.route("/case-studies/<slug>")
@public_endpoint
def case_study(slug: str):
    """The original, or with `?language=xx` its translation into that language (404 if none)."""
    language = request.args.get("language") or None
    return jsonify(public_json(queries.get_public(slug, language=language and language[:5])))
