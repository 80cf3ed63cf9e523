"""What the public sees: published case studies read from their PUBLISHED snapshot, the
archive search (through `app.search.services`, the code path the bench measures), filters.

Nothing here ever reads a working copy: a draft or an update under review stays private.
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime

from babel import Locale, UnknownLocaleError
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, raiseload

from ..core.countries import COUNTRIES, country_name
from ..core.errors import NotFound, ValidationError
from ..core.pagination import clamp_int
from ..core.text import parse_tags
from ..extensions import db
from ..orgs.models import MUSEUM_SIZES, ORG_KINDS
from ..documents.diff import diff_rows
from ..projects.areas import APPLICATION_AREAS, area_label
from ..projects.models import ProjectRef
from ..search.services import search_case_studies, similar_case_studies
from .models import CaseStudy, CaseStudyRevision
from .technologies import match_tag, technology_name
from .translations import translated_snapshot, translations_of
from .vocabulary import BUDGET_RANGES, LANGUAGES, SECTION_KEYS, SECTIONS, label_of

FACETS = ("country", "area", "technology", "language", "year", "lead_kind", "lead_size",
          "budget_range")
QUERY_MAX = 300
MAX_PER_PAGE = 50  # the search service clamps to 50 too

log = logging.getLogger(__name__)


@dataclass
class PublicCaseStudy:
    """A published case study as the public sees it (from the published snapshot)."""

    id: int
    slug: str
    snapshot: dict
    published_at: datetime | None
    first_published_at: datetime | None
    project_id: int | None = None
    highlight: str = ""
    score: float = 0.0
    extra: dict = field(default_factory=dict)
    #: the language the case study was written in, and every language it can be read in
    original_language: str = ""
    versions: list[str] = field(default_factory=list)

    def __getattr__(self, name):
        snapshot = self.__dict__.get("snapshot") or {}
        if name in snapshot:
            return snapshot[name]
        raise AttributeError(name)

    @property
    def project(self):
        """For the policy: the workspace the case study came from (imported ones have none)."""
        return ProjectRef(id=self.project_id, slug="") if self.project_id else None

    @property
    def shown_language(self) -> str:
        return self.snapshot.get("language") or "en"

    @property
    def is_translation(self) -> bool:
        return self.shown_language != self.original_language

    @property
    def lead(self) -> dict:
        return self.snapshot.get("lead") or {}

    @property
    def country(self) -> str:
        return (self.lead.get("country") or "").upper()

    @property
    def section_list(self) -> list[tuple[str, str, str]]:
        sections = self.snapshot.get("sections") or {}
        return [(key, str(SECTIONS[key][0]), sections[key]) for key in SECTION_KEYS
                if sections.get(key)]


def _public(case_study: CaseStudy, translations: list | None = None,
            language: str | None = None) -> PublicCaseStudy:
    """The public view of a case study; in `language` when one of `translations` is in it."""
    snapshot = case_study.published_revision.snapshot
    original = snapshot.get("language") or "en"
    translations = translations or []
    chosen = next((t for t in translations if t.language == language), None)
    return PublicCaseStudy(
        id=case_study.id, slug=case_study.slug,
        snapshot=translated_snapshot(snapshot, chosen) if chosen else snapshot,
        published_at=case_study.published_at, first_published_at=case_study.first_published_at,
        project_id=case_study.project_id, original_language=original,
        versions=[original] + [t.language for t in translations if t.language != original],
    )


def _published():
    """Published case studies with their published revision, in ONE statement: the public
    side reads nothing else (partners, lead and attachments are in the snapshot)."""
    return (select(CaseStudy).where(CaseStudy.published_revision_id.is_not(None))
            .options(joinedload(CaseStudy.published_revision), raiseload("*")))


def get_public(slug: str, language: str | None = None) -> PublicCaseStudy:
    """A published case study, in its translation into `language` when asked (404 without
    one); the original otherwise. Two statements: the case study, its translations."""
    if not isinstance(slug, str) or len(slug) > 120:
        raise NotFound()
    case_study = db.session.execute(_published().where(CaseStudy.slug == slug)).scalar_one_or_none()
    if case_study is None or case_study.published_revision is None:
        raise NotFound()
    item = _public(case_study, translations_of([case_study.id]).get(case_study.id), language)
    if language is not None and item.shown_language != language:
        raise NotFound()
    return item


def load_public_by_slugs(slugs: list[str], language: str | None = None) -> list[PublicCaseStudy]:
    """The published case studies for `slugs`, in that order, each in `language` when it has
    a version in it; two queries (case studies, translations)."""
    if not slugs:
        return []
    rows = db.session.execute(_published().where(CaseStudy.slug.in_(slugs))).scalars().all()
    rows = [row for row in rows if row.published_revision is not None]
    translations = translations_of([row.id for row in rows]) if language else {}
    by_slug = {row.slug: _public(row, translations.get(row.id), language) for row in rows}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def load_public_by_ids(ids) -> dict[int, PublicCaseStudy]:
    """The published case studies among `ids`, by id, knowing their translations; two queries
    (absent: not public)."""
    if not ids:
        return {}
    rows = db.session.execute(_published().where(CaseStudy.id.in_(list(ids)))).scalars().all()
    rows = [row for row in rows if row.published_revision is not None]
    translations = translations_of([row.id for row in rows])
    return {row.id: _public(row, translations.get(row.id)) for row in rows}


def sitemap_summary() -> tuple[int, datetime | None]:
    """How many case studies are public, and the newest publication, in ONE statement."""
    count, newest = db.session.execute(
        select(func.count(), func.max(CaseStudy.published_at))
        .where(CaseStudy.published_revision_id.is_not(None))).one()
    return count, newest


def sitemap_rows(offset: int, limit: int) -> list[tuple[str, datetime | None]]:
    """(slug, published_at) of public case studies in a stable order, one page, ONE statement."""
    return [tuple(row) for row in db.session.execute(
        select(CaseStudy.slug, CaseStudy.published_at)
        .where(CaseStudy.published_revision_id.is_not(None))
        .order_by(CaseStudy.id).offset(offset).limit(limit))]


#: the members of a published snapshot the statistics count
FACT_KEYS = ("year", "language", "lead_id", "lead_country", "areas", "partners")


def published_facts() -> list[dict]:
    """Those members of every public case study's snapshot, in ONE statement that reads only
    them (the database extracts them from the JSON; plain values as text, lists as JSON): no
    objects and no texts, which made the statistics of 10,000 case studies take 1.7 s of CPU
    through `all_public`."""
    snapshot = CaseStudyRevision.snapshot
    rows = db.session.execute(
        select(snapshot["year"].as_string(), snapshot["language"].as_string(),
               snapshot[("lead", "id")].as_string(), snapshot[("lead", "country")].as_string(),
               snapshot["areas"], snapshot["partners"])
        .join(CaseStudy, CaseStudy.published_revision_id == CaseStudyRevision.id))
    return [dict(zip(FACT_KEYS, row, strict=True)) for row in rows]


def all_public(newest_first: bool = True, limit: int | None = None) -> list[PublicCaseStudy]:
    statement = _published().order_by(
        CaseStudy.published_at.desc() if newest_first else CaseStudy.slug)
    if limit:
        statement = statement.limit(limit)
    return [_public(row) for row in db.session.execute(statement).scalars()
            if row.published_revision is not None]


# ---------------------------------------------------------------- search

def parse_filters(args, *, strict: bool) -> dict[str, list[str]]:
    """Facet filters from request args. Unknown values: 400 when strict (API), else dropped."""
    valid = {
        "country": lambda v: v.upper() if v.upper() in COUNTRIES else None,
        "area": lambda v: v if v in APPLICATION_AREAS else None,
        "language": lambda v: v.lower() if v.lower() in LANGUAGES else None,
        "year": lambda v: v if v.isdigit() and 1990 <= int(v) <= 2100 else None,
        "lead_kind": lambda v: v if v in ORG_KINDS else None,
        "lead_size": lambda v: v if v in MUSEUM_SIZES else None,
        "budget_range": lambda v: v if v in BUDGET_RANGES else None,
        "technology": lambda v: (match_tag(v) or (parse_tags([v]) or [None])[0])
        if len(v) <= 40 else None,
    }
    filters: dict[str, list[str]] = {}
    for name in FACETS:
        values = []
        for raw in args.getlist(name)[:20]:
            raw = raw.strip()
            if not raw:
                continue
            value = valid[name](raw)
            if value is None:
                if strict:
                    raise ValidationError(_("Unknown value for %(facet)s: %(value)s",
                                            facet=name, value=raw[:40]))
                continue
            if value not in values:
                values.append(value)
        if values:
            filters[name] = values
    return filters


def parse_query(args, *, strict: bool) -> str:
    q = " ".join((args.get("q") or "").split())
    if len(q) > QUERY_MAX:
        if strict:
            raise ValidationError(_("The query is too long (at most %(n)d characters).",
                                    n=QUERY_MAX))
        q = q[:QUERY_MAX]
    return q


@dataclass
class ArchiveResults:
    q: str
    filters: dict
    sort: str
    page: int
    per_page: int
    total: int
    items: list
    facets: dict
    suggestion: str | None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search_archive(args, *, strict: bool, default_per_page: int = 10) -> ArchiveResults:
    """Run an archive search from request args (the public page and the API share this)."""
    q = parse_query(args, strict=strict)
    filters = parse_filters(args, strict=strict)
    sort = args.get("sort") if args.get("sort") in ("relevance", "date") else (
        "relevance" if q else "date")
    if strict and args.get("page") not in (None, "") and clamp_int(args.get("page"), 0, -1, 2) < 1:
        raise ValidationError(_("page must be a whole number of at least 1."))
    page = clamp_int(args.get("page"), 1, 1, 10_000)
    per_page = clamp_int(args.get("per_page"), default_per_page, 1, MAX_PER_PAGE)
    language = reader_language()
    results = search_case_studies(q, filters, page, per_page, sort, language=language)
    items = load_public_by_slugs([hit.slug for hit in results.hits], language)
    by_slug = {hit.slug: hit for hit in results.hits}
    for item in items:
        item.highlight = by_slug[item.slug].highlight or ""
        item.score = by_slug[item.slug].score or 0.0
    return ArchiveResults(q=q, filters=filters, sort=sort, page=results.page,
                          per_page=results.per_page, total=results.total, items=items,
                          facets=results.facets, suggestion=results.suggestion)


def similar_to(slug: str, limit: int = 4) -> list[PublicCaseStudy]:
    try:
        slugs = similar_case_studies(slug, limit=limit)
    except Exception:  # similar items are a nicety; the page must still render
        log.exception("similar_case_studies failed for %s", slug)
        return []
    return [item for item in load_public_by_slugs(slugs) if item.slug != slug][:limit]


def preview_of(case_study: CaseStudy) -> PublicCaseStudy:
    """The working copy as it would be published (curators review this; never public)."""
    revision = db.session.get(CaseStudyRevision, case_study.current_revision_id)
    return PublicCaseStudy(
        id=case_study.id, slug=case_study.slug, snapshot=revision.snapshot if revision else {},
        published_at=case_study.published_at, first_published_at=case_study.first_published_at,
        project_id=case_study.project_id,
    )


FACET_LEGENDS = {
    "country": _l("Country"), "area": _l("Application area"), "technology": _l("Technology"),
    "lead_kind": _l("Kind of lead organisation"), "lead_size": _l("Size of the lead museum"),
    "year": _l("Year"), "language": _l("Language"), "budget_range": _l("Budget"),
}
FACET_LIMIT = {"technology": 15, "country": 50}


def reader_language() -> str:
    """The reader's interface language (two letters)."""
    return str(get_locale() or "en")[:2]


def version_links(item: PublicCaseStudy) -> list[dict]:
    """"Read in: …" — every version of the case study, each named in its own language."""
    links = []
    for language in item.versions:
        try:
            name = Locale.parse(language).get_display_name(language) or language
        except (ValueError, UnknownLocaleError):
            name = label_of(LANGUAGES, language)
        links.append({"language": language, "name": name[:1].upper() + name[1:],
                      "original": language == item.original_language,
                      "current": language == item.shown_language})
    return links


def technology_label(value: str) -> str:
    """A technology key's name in the reader's language; a free tag as typed."""
    return technology_name(value, reader_language())


def facet_groups(results: ArchiveResults) -> list[dict]:
    """The facets for the archive page: label each value, keep chosen ones, sort by count
    (years by year, budgets by amount). A facet with a single value offers no choice and is
    left out unless that value is chosen. Chosen options carry the filters that remain
    without them (`remaining`), for the removable chips above the results."""
    labels = {
        "country": country_name, "area": area_label,
        "language": lambda v: label_of(LANGUAGES, v),
        "lead_kind": lambda v: label_of(ORG_KINDS, v),
        "lead_size": lambda v: label_of(MUSEUM_SIZES, v),
        "budget_range": lambda v: label_of(BUDGET_RANGES, v),
        "year": str, "technology": technology_label,
    }
    groups = []
    for name in FACETS:
        counts = {str(k): v for k, v in (results.facets.get(name) or {}).items() if k != ""}
        chosen = results.filters.get(name, [])
        for value in chosen:
            counts.setdefault(value, 0)
        label = labels[name]
        ordered = sorted(counts.items(), key=_facet_order(name, label))
        ordered = ordered[:FACET_LIMIT.get(name, 20)] + [
            kv for kv in ordered[FACET_LIMIT.get(name, 20):] if kv[0] in chosen]
        options = [{"value": value, "label": labels[name](value), "count": count,
                    "checked": value in chosen,
                    "remaining": _without(results.filters, name, value) if value in chosen
                    else None} for value, count in ordered]
        if len(options) > 1 or chosen:
            groups.append({"name": name, "legend": str(FACET_LEGENDS[name]),
                           "options": options})
    return groups


def _facet_order(name: str, label):
    if name == "year":
        return lambda kv: kv[0]
    if name == "budget_range":
        order = list(BUDGET_RANGES)
        return lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
    return lambda kv: (-kv[1], label(kv[0]))


def _without(filters: dict[str, list[str]], name: str, value: str) -> dict[str, list[str]]:
    remaining = {key: [v for v in values if (key, v) != (name, value)]
                 for key, values in filters.items()}
    return {key: values for key, values in remaining.items() if values}


def changes_since_published(case_study: CaseStudy) -> list[dict]:
    """For curators reviewing an update: each changed part, as readable diff rows."""
    if not case_study.published_revision_id or \
            case_study.published_revision_id == case_study.current_revision_id:
        return []
    old = db.session.get(CaseStudyRevision, case_study.published_revision_id).snapshot
    new = db.session.get(CaseStudyRevision, case_study.current_revision_id).snapshot

    def as_text(snapshot: dict, key: str) -> str:
        if key in SECTIONS:
            return (snapshot.get("sections") or {}).get(key, "")
        value = snapshot.get(key)
        if key in ("partners", "attachments"):
            return "\n".join(f"{v.get('name') or v.get('title')} {v.get('role', '')}".strip()
                             for v in value or [])
        if isinstance(value, dict):
            return "\n".join(f"{k}: {v}" for k, v in sorted(value.items()))
        if isinstance(value, list):
            return "\n".join(map(str, value))
        return "" if value is None else str(value)

    labels = {"title": _l("Title"), "summary": _l("Summary"), "language": _l("Language"),
              "year": _l("Year"), "areas": _l("Application areas"),
              "technologies": _l("Technologies"), "budget_eur": _l("Budget"),
              "impact": _l("Impact figures"), "license": _l("Licence"), "contact": _l("Contact"),
              "partners": _l("Partners"), "attachments": _l("Attachments")}
    labels.update({key: SECTIONS[key][0] for key in SECTION_KEYS})
    changes = []
    for key, label in labels.items():
        before, after = as_text(old, key), as_text(new, key)
        if before != after:
            rows, _stats = diff_rows(before, after)
            changes.append({"key": key, "label": str(label), "rows": rows})
    return changes


def published_slugs_by_project(project_ids) -> dict[int, str]:
    """project id -> the slug of its published case study (absent: none published yet); one
    statement. The calls' public results link their pilots with it."""
    ids = [i for i in project_ids if i]
    if not ids:
        return {}
    return dict(db.session.execute(
        select(CaseStudy.project_id, CaseStudy.slug)
        .where(CaseStudy.project_id.in_(ids), CaseStudy.published_revision_id.is_not(None))
    ).all())
