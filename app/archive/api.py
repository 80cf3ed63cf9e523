"""The archive's open-data API on `app.api.bp`: search and read published case studies."""
from flask import jsonify, request, url_for

from ..api import bp, public_endpoint
from . import queries
from .opendata import public_json

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
            "language": item.snapshot.get("language"), "year": item.snapshot.get("year"),
            "url": url_for("archive.case_study", slug=item.slug, _external=True),
            "highlight": item.highlight,
        } for item in results.items],
        facets={name: {str(k): v for k, v in (results.facets.get(name) or {}).items()}
                for name in API_FACETS},
        suggestion=results.suggestion,
    )


@bp.route("/case-studies/<slug>")
@public_endpoint
def case_study(slug: str):
    return jsonify(public_json(queries.get_public(slug)))
