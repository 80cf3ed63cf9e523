"""Open data: the whole published archive as CSV and JSON (with its licence), and an Atom feed.
Built only from published snapshots."""
import csv
import io
from xml.sax.saxutils import escape

from flask import url_for

from ..core.countries import country_name
from ..core.markdown import markdown_to_text
from ..core.spreadsheets import safe_cell
from ..core.time import utcnow
from .queries import PublicCaseStudy, all_public
from .vocabulary import ARCHIVE_LICENSE, LICENSE_URLS, LICENSES, SECTION_KEYS

CSV_COLUMNS = ("slug", "url", "title", "summary", "language", "country", "lead", "lead_city",
               "lead_size", "year", "areas", "technologies", "budget_eur", "budget_range",
               "visitors", "reach", "revenue_eur", "time_saved_hours", "partners", "license",
               "contact", "published_at")


def version_url(item: PublicCaseStudy, language: str | None = None) -> str:
    """The page of one version of a case study (default: the one `item` shows)."""
    language = language or item.shown_language
    if not item.original_language or language == item.original_language:
        return url_for("archive.case_study", slug=item.slug, _external=True)
    return url_for("archive.case_study_in", slug=item.slug, language=language, _external=True)


def public_json(item: PublicCaseStudy) -> dict:
    """The whole case study as open data (also the API's detail response)."""
    snap = item.snapshot
    return {
        "slug": item.slug, "url": version_url(item),
        "title": snap.get("title"), "summary": snap.get("summary"),
        "language": snap.get("language"), "original_language": item.original_language,
        "versions": {language: version_url(item, language) for language in item.versions},
        "country": item.country, "year": snap.get("year"),
        "lead": {k: item.lead.get(k) for k in ("name", "city", "country", "size")},
        "partners": [{k: p.get(k) for k in ("name", "kind", "country", "role")}
                     for p in snap.get("partners") or []],
        "areas": snap.get("areas") or [], "technologies": snap.get("technologies") or [],
        "budget_eur": snap.get("budget_eur"), "budget_range": snap.get("budget_range"),
        "impact": snap.get("impact") or {},
        "sections": {k: v for k, v in (snap.get("sections") or {}).items() if v},
        "license": snap.get("license"), "license_url": LICENSE_URLS.get(snap.get("license")),
        "contact": snap.get("contact"),
        "attachments": [
            {"kind": a["kind"], "title": a.get("title"),
             **({"url": url_for("archive.public_file", slug=item.slug, file_id=a["id"],
                                _external=True)} if a["kind"] == "file" else {})}
            for a in snap.get("attachments") or []],
        "published_at": item.published_at.isoformat() + "Z" if item.published_at else None,
    }


def archive_json() -> dict:
    return {
        "title": "European Museum Collaboration and Innovation Space — case study archive",
        "license": ARCHIVE_LICENSE, "license_url": LICENSE_URLS[ARCHIVE_LICENSE],
        "license_note": "Metadata and texts under the archive licence unless a case study "
                        "states its own licence for its outputs.",
        "generated_at": utcnow().isoformat() + "Z",
        "case_studies": [public_json(item) for item in all_public(newest_first=False)],
    }


def archive_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in all_public(newest_first=False):
        snap, impact = item.snapshot, item.snapshot.get("impact") or {}
        writer.writerow([safe_cell(v) for v in (
            item.slug, url_for("archive.case_study", slug=item.slug, _external=True),
            snap.get("title"), snap.get("summary"), snap.get("language"), item.country,
            item.lead.get("name"), item.lead.get("city"), item.lead.get("size"),
            snap.get("year"), ";".join(snap.get("areas") or []),
            ";".join(snap.get("technologies") or []), snap.get("budget_eur"),
            snap.get("budget_range"), impact.get("visitors"), impact.get("reach"),
            impact.get("revenue_eur"), impact.get("time_saved_hours"),
            ";".join(f"{p.get('name')} ({p.get('country')})"
                     for p in snap.get("partners") or []),
            snap.get("license") or ARCHIVE_LICENSE, snap.get("contact"),
            item.published_at.isoformat() + "Z" if item.published_at else "")])
    return out.getvalue()


def archive_atom(limit: int = 30) -> str:
    items = all_public(limit=limit)
    feed_url = url_for("archive.feed", _external=True)
    updated = max((i.published_at for i in items if i.published_at), default=utcnow())
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>European Museum Collaboration and Innovation Space: new case studies</title>",
        f'<id>{escape(feed_url)}</id>',
        f'<link rel="self" href="{escape(feed_url)}"/>',
        f'<link href="{escape(url_for("archive.index", _external=True))}"/>',
        f"<updated>{updated.isoformat()}Z</updated>",
        f"<rights>{escape(LICENSES[ARCHIVE_LICENSE])}</rights>",
    ]
    for item in items:
        url = url_for("archive.case_study", slug=item.slug, _external=True)
        text = item.snapshot.get("summary") or markdown_to_text(
            next((item.snapshot.get("sections", {}).get(k) for k in SECTION_KEYS
                  if item.snapshot.get("sections", {}).get(k)), ""))[:600]
        moment = (item.published_at or utcnow()).isoformat() + "Z"
        parts += [
            "<entry>", f"<title>{escape(item.snapshot.get('title', ''))}</title>",
            f"<id>{escape(url)}</id>", f'<link href="{escape(url)}"/>',
            f"<updated>{moment}</updated>", f"<published>{moment}</published>",
            f"<author><name>{escape(item.lead.get('name') or '')}</name></author>",
            f"<category term=\"{escape(item.country)}\" "
            f"label=\"{escape(country_name(item.country))}\"/>",
            f"<summary>{escape(text)}</summary>", "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts)
