"""Importing earlier case studies (`flask archive import FILE.json`) and the demo archive.

Each record is validated completely before anything is written, then written inside its own
savepoint: a refused record leaves nothing behind, the valid ones are imported. Imported case
studies have no workspace; they are published at once and indexed through the search change log.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core.countries import COUNTRIES
from ..core.errors import DomainError, ValidationError
from ..core.text import slugify
from ..core.time import utcnow
from ..extensions import db
from ..orgs.models import MUSEUM_SIZES, ORG_KINDS, Organisation
from ..search.services import enqueue_index_change
from .models import CaseStudy, CaseStudyPartner, CaseStudyReview, CaseStudyRevision
from .oai_records import record_published
from .services import add_revision, drain_index
from .validation import clean_case_study_input
from .vocabulary import STATUS_PUBLISHED

RECORD_KEYS = {"slug", "title", "summary", "language", "country", "year", "lead", "partners",
               "areas", "technologies", "budget_eur", "sections", "license", "contact",
               "impact", "published_at"}


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: (1-based record number, slug or title, message)
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.created)} created, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged, {len(self.errors)} refused")


def import_records(records, progress=None) -> ImportReport:
    """Import a list of record dicts; `progress(n)` is called after each record."""
    report = ImportReport()
    if not isinstance(records, list):
        report.errors.append((0, "", _("The file must contain a JSON list of records.")))
        return report
    for number, record in enumerate(records, start=1):
        label = str(record.get("slug") or record.get("title") or "")[:80] \
            if isinstance(record, dict) else ""
        try:
            cleaned = clean_record(record)
            with db.session.begin_nested():
                outcome, slug = _write(cleaned)
            getattr(report, outcome).append(slug)
        except DomainError as error:
            report.errors.append((number, label, error.message))
        if progress:
            progress(1)
    db.session.commit()
    drain_index()
    return report


def clean_record(record) -> dict:
    """Validate one import record completely; nothing is written here."""
    if not isinstance(record, dict):
        raise ValidationError(_("A record must be a JSON object."))
    unknown = set(record) - RECORD_KEYS
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.", names=", ".join(sorted(unknown))))
    cleaned = clean_case_study_input(record)
    country = str(record.get("country") or "").upper()
    if country not in COUNTRIES:
        raise ValidationError(_("Unknown or missing country %(code)s.", code=country[:10]))
    if cleaned["year"] is None:
        raise ValidationError(_("A year is required."))
    slug = record.get("slug")
    if slug is not None and (not isinstance(slug, str) or slugify(slug, 100) != slug):
        raise ValidationError(_("The slug must be lower-case letters, digits and hyphens."))
    lead = record.get("lead")
    if not isinstance(lead, dict) or not str(lead.get("name") or "").strip():
        raise ValidationError(_("The lead museum needs a name."))
    size = lead.get("size") or None
    if size is not None and size not in MUSEUM_SIZES:
        raise ValidationError(_("Unknown museum size %(size)s.", size=str(size)[:20]))
    partners = []
    for item in record.get("partners") or []:
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise ValidationError(_("Every partner needs a name."))
        kind = item.get("kind") or "technology"
        partner_country = str(item.get("country") or country).upper()
        if kind not in ORG_KINDS:
            raise ValidationError(_("Unknown partner kind %(kind)s.", kind=str(kind)[:20]))
        if partner_country not in COUNTRIES:
            raise ValidationError(_("Unknown partner country %(code)s.",
                                    code=partner_country[:10]))
        partners.append({"name": " ".join(item["name"].split())[:200], "kind": kind,
                         "country": partner_country, "city": str(item.get("city") or "")[:120],
                         "role": " ".join(str(item.get("role") or "").split())[:200]})
    published_at = None
    if record.get("published_at"):
        try:
            published_at = datetime.fromisoformat(str(record["published_at"])).replace(
                tzinfo=None)
        except ValueError:
            raise ValidationError(_("published_at must be an ISO date.")) from None
    cleaned.update(
        slug=slug or slugify(cleaned["title"], 100), country=country,
        lead={"name": " ".join(lead["name"].split())[:200], "kind": "museum", "size": size,
              "country": country, "city": str(lead.get("city") or "")[:120]},
        partners=partners, published_at=published_at,
    )
    return cleaned


def _organisation(name: str, kind: str, country: str, city: str, size) -> Organisation:
    # Case-insensitive match in Python: SQLite's lower() only folds ASCII (Č, Å, Ü stay).
    wanted = name.casefold()
    candidates = db.session.execute(
        select(Organisation).where(Organisation.country == country,
                                   func.length(Organisation.name) == len(name))
    ).scalars()
    org = next((o for o in candidates if o.name.casefold() == wanted), None)
    if org is not None:
        return org
    base = slugify(name, 90) or "organisation"
    slug, n = base, 2
    while db.session.execute(select(Organisation.id).where(Organisation.slug == slug)).first():
        slug, n = f"{base}-{n}", n + 1
    org = Organisation(name=name, slug=slug, kind=kind, country=country, city=city,
                       size=size if kind == "museum" else None, website="", description="")
    db.session.add(org)
    db.session.flush()
    return org


def _write(cleaned: dict) -> tuple[str, str]:
    lead_info = cleaned.pop("lead")
    partner_info = cleaned.pop("partners")
    slug = cleaned.pop("slug")
    cleaned.pop("country")
    published_at = cleaned.pop("published_at") or utcnow()
    case_study = db.session.execute(
        select(CaseStudy).where(CaseStudy.slug == slug)).scalar_one_or_none()
    if case_study is not None and case_study.project_id is not None:
        raise ValidationError(_("The slug %(slug)s belongs to a workspace case study.",
                                slug=slug))
    lead = _organisation(lead_info["name"], "museum", lead_info["country"], lead_info["city"],
                         lead_info["size"])
    outcome = "updated"
    if case_study is None:
        outcome = "created"
        case_study = CaseStudy(slug=slug, status=STATUS_PUBLISHED, review_comment="")
        db.session.add(case_study)
    for key, value in cleaned.items():
        setattr(case_study, key, value)
    case_study.lead_organisation = lead
    partners, seen = [], {lead.id}
    for position, info in enumerate(partner_info):
        org = _organisation(info["name"], info["kind"], info["country"], info["city"], None)
        if org.id in seen:
            continue
        seen.add(org.id)
        existing = next((p for p in case_study.partners if p.organisation_id == org.id), None)
        partner = existing or CaseStudyPartner(organisation_id=org.id)
        partner.role, partner.position = info["role"], position
        partners.append(partner)
    case_study.partners = partners
    revision = add_revision(case_study, None, note="imported")
    if revision is None and case_study.published_revision_id == case_study.current_revision_id:
        return "unchanged", slug
    case_study.status = STATUS_PUBLISHED
    case_study.published_revision_id = case_study.current_revision_id
    case_study.published_at = case_study.published_at or published_at
    case_study.first_published_at = case_study.first_published_at or published_at
    record_published(case_study, db.session.get(
        CaseStudyRevision, case_study.current_revision_id).snapshot,
        published_at if outcome == "created" else utcnow())
    db.session.add(CaseStudyReview(case_study_id=case_study.id, decision="imported",
                                   comment="", revision_id=case_study.current_revision_id))
    enqueue_index_change(case_study, "upsert")
    return outcome, slug
