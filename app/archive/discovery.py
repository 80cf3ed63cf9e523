"""What search engines and link previews read of the archive: the schema.org JSON-LD, Open
Graph and Twitter card of a case-study page, and the archive's sitemap source.

Built only from the published snapshot, like every other public door. The JSON-LD goes in a
`<script type="application/ld+json">` data block: browsers never execute it, so the CSP (no
inline scripts) has nothing to refuse (checked in a browser by tests/e2e/test_archive_metadata.py).
"""
from flask import url_for
from flask_babel import force_locale

from ..core.countries import country_name
from ..core.sitemap import listing_source
from ..core.time import isoformat_utc
from ..projects.areas import area_label
from .queries import PublicCaseStudy, sitemap_rows, sitemap_summary
from .vocabulary import LICENSE_URLS

SITE_NAME = "European Museum Collaboration and Innovation Space"


def _organisation(org: dict) -> dict:
    data = {"@type": "Organization", "name": org.get("name") or ""}
    country = (org.get("country") or "").upper()
    if country or org.get("city"):
        data["address"] = {"@type": "PostalAddress", **(
            {"addressLocality": org["city"]} if org.get("city") else {}), **(
            {"addressCountry": country} if country else {})}
    return data


def _version_url(item: PublicCaseStudy, language: str) -> str:
    if language == item.original_language:
        return url_for("archive.case_study", slug=item.slug, _external=True)
    return url_for("archive.case_study_in", slug=item.slug, language=language, _external=True)


def page_metadata(item: PublicCaseStudy) -> dict:
    """Canonical URL, description, Open Graph / Twitter pairs and JSON-LD of a case study."""
    snap = item.snapshot
    original = url_for("archive.case_study", slug=item.slug, _external=True)
    url = _version_url(item, item.shown_language)
    title, summary = snap.get("title") or "", snap.get("summary") or ""
    license_url = LICENSE_URLS.get(snap.get("license"))
    with force_locale("en"):  # metadata for machines: one language whatever the reader's
        about = [{"@type": "Thing", "name": area_label(area)} for area in snap.get("areas") or []]
        country = {"@type": "Country", "name": country_name(item.country),
                   "identifier": item.country} if item.country else None
    json_ld = {
        "@context": "https://schema.org", "@type": "Article", "@id": url, "url": url,
        "mainEntityOfPage": url, "headline": title[:110], "name": title,
        "description": summary, "inLanguage": item.shown_language,
        "about": about, "keywords": ", ".join(snap.get("technologies") or []),
        "author": [_organisation(org) for org in [item.lead, *(snap.get("partners") or [])]
                   if org.get("name")],
        "publisher": {"@type": "Organization", "name": SITE_NAME,
                      "url": url_for("main.home", _external=True)},
        "datePublished": isoformat_utc(item.first_published_at or item.published_at),
        "dateModified": isoformat_utc(item.published_at),
        "isAccessibleForFree": True,
    }
    if item.is_translation:
        json_ld["translationOfWork"] = {"@id": original, "inLanguage": item.original_language}
    else:
        json_ld["workTranslation"] = [
            {"@id": _version_url(item, language), "inLanguage": language}
            for language in item.versions if language != item.original_language]
    if license_url:
        json_ld["license"] = license_url
    if country:
        json_ld["spatialCoverage"] = country
    if snap.get("year"):
        json_ld["temporalCoverage"] = str(snap["year"])
    open_graph = [("og:type", "article"), ("og:title", title), ("og:description", summary),
                  ("og:url", url), ("og:site_name", SITE_NAME),
                  ("article:published_time", json_ld["datePublished"]),
                  ("article:modified_time", json_ld["dateModified"]),
                  *(("article:tag", tag) for tag in snap.get("technologies") or [])]
    twitter = [("twitter:card", "summary"), ("twitter:title", title),
               ("twitter:description", summary)]
    cover = snap.get("cover")
    if cover:  # the published cover only: the snapshot is the published one
        image = url_for("archive.public_cover", slug=item.slug, _external=True)
        json_ld["image"] = {"@type": "ImageObject", "url": image, "description": cover["alt"]}
        open_graph += [("og:image", image), ("og:image:alt", cover["alt"])]
        twitter += [("twitter:image", image), ("twitter:image:alt", cover["alt"])]
    return {"url": url, "description": summary, "json_ld": json_ld,
            "open_graph": [(k, v) for k, v in open_graph if v], "twitter": twitter}


SITEMAP_SOURCE = listing_source(
    lambda: [url_for("archive.index", _external=True), url_for("archive.stats", _external=True)],
    sitemap_summary, sitemap_rows,
    lambda slug: url_for("archive.case_study", slug=slug, _external=True))
