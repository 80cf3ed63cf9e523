"""Freezing an application: the record of a submitted version, its canonical JSON and SHA-256,
the eligibility verdict stored beside it. Used by the applicants' Submit and by imports;
neither authorizes here (their callers do) and neither commits here.
"""
from datetime import datetime

from sqlalchemy import func, select

from ..core.time import isoformat_utc
from ..extensions import db
from . import eligibility
from .application_content import budget_total, canonical_json, sha256_of
from .application_models import Application, ApplicationPartner, ApplicationVersion


def _organisation(org) -> dict:
    return {"name": org.name, "country": org.country, "kind": org.kind, "size": org.size,
            "website": org.website or ""}


def version_record(application: Application, content: dict, number: int,
                   submitted_at: datetime) -> dict:
    """What a submitted version says, every name spelt out (no ids that could change)."""
    call = application.call
    return {
        "call": call.slug, "ref": application.ref, "version": number,
        "submitted_at": isoformat_utc(submitted_at),
        "lead": _organisation(application.lead_organisation),
        "partners": [_organisation(p.organisation) for p in application.partners],
        "title": content.get("title", ""), "summary": content.get("summary", ""),
        "areas": content.get("areas", []), "sections": content.get("sections", {}),
        "milestones": content.get("milestones", []), "budget": content.get("budget", []),
        "requested_eur": application.requested_eur,
        "declarations": [call.declarations[i] for i in content.get("declarations", [])
                         if i < len(call.declarations or [])],
        "attachments": [{"name": a.name, "sha256": a.blob.sha256, "size": a.blob.size}
                        for a in application.attachments],
    }


def judge(application: Application, content: dict, *, imported: bool = False) -> list:
    """Compute and store the automatic eligibility verdict; returns the items."""
    items = eligibility.check(application.call, content, application.lead_organisation,
                              [p.organisation for p in application.partners],
                              imported=imported, requested=application.requested_eur)
    application.eligible = eligibility.is_eligible(items)
    application.eligibility = [item.as_dict() for item in items]
    return items


def last_version(application: Application) -> ApplicationVersion | None:
    return db.session.execute(
        select(ApplicationVersion).where(ApplicationVersion.application_id == application.id)
        .order_by(ApplicationVersion.number.desc()).limit(1)).scalar_one_or_none()


def freeze(application: Application, content: dict, submitted_at: datetime,
           by=None) -> ApplicationVersion:
    """Add the next submitted version and make it the one that counts."""
    number = (db.session.execute(
        select(func.max(ApplicationVersion.number))
        .where(ApplicationVersion.application_id == application.id)).scalar_one() or 0) + 1
    text = canonical_json(version_record(application, content, number, submitted_at))
    version = ApplicationVersion(application_id=application.id, number=number,
                                 canonical_json=text, sha256=sha256_of(text),
                                 submitted_at=submitted_at, submitted_by_id=getattr(by, "id", None))
    db.session.add(version)
    application.status = "submitted"
    application.submitted_at = submitted_at
    application.submitted_version = number
    return version


def requested_of(content: dict) -> int:
    return budget_total(content)


def set_partners(application: Application, organisations: list) -> None:
    """Make the application's partners these organisations, in this order (rows kept by
    organisation, so a partner staying on is not deleted and added again)."""
    current = {p.organisation_id: p for p in application.partners}
    rows = []
    for position, org in enumerate(dict.fromkeys(organisations)):
        row = current.get(org.id) or ApplicationPartner(organisation_id=org.id, organisation=org)
        row.position = position
        rows.append(row)
    application.partners = rows
