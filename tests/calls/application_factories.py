"""Generators for application tests: `make_applicant()` (a person and their verified museum),
`full_content(call, partner)`, `make_application(call, ...)`, `form_of(content)` (the form
fields a browser posts), `bulk_applications(call, n)` (many submitted rows in a few statements,
for the query-count tests)."""
from datetime import datetime

from sqlalchemy import insert

from app.calls import applications as services
from app.calls.application_content import empty_content
from app.calls.application_models import Application
from app.extensions import db
from app.orgs.models import Organisation
from tests.factories import make_org, make_user


def make_applicant(country: str = "IT", size: str = "small", **user_fields):
    """A person who is a verified member of a verified museum; returns (user, museum)."""
    user = make_user(**user_fields)
    museum = make_org(country=country, size=size, members=[user])
    return user, museum


def full_content(call, partner, **changes) -> dict:
    content = empty_content() | {
        "title": "Stories in the attic", "summary": "Scanning forty garments with a studio.",
        "areas": call.areas[:1], "partners": [partner.id],
        "sections": {key: f"About the {key}." for key in empty_content()["sections"]},
        "milestones": [{"date": "2027-03-01", "title": "Kick-off"}],
        "budget": [{"category": "subcontracting", "description": "Scanning", "amount": 20000}],
        "declarations": list(range(len(call.declarations or []))),
    }
    return content | changes


def make_application(call, owner=None, lead=None, partner=None, *, complete=True,
                     coapplicants=()):
    """A draft by `owner` (made if not given) with complete content and co-applicants."""
    if owner is None:
        owner, lead = make_applicant()
    partner = partner or make_org(kind="technology", country="DE")
    application = services.start_application(owner, call, lead.id, "Working title")
    if complete:
        services.save_draft(owner, application, full_content(call, partner),
                            application.revision)
    for person in coapplicants:
        services.invite_coapplicant(owner, application, person.email)
    return application


def form_of(content: dict, base_revision) -> dict:
    """The application form's fields for `content`, as a browser posts them."""
    data = {"title": content["title"], "summary": content["summary"], "areas": content["areas"],
            "partners": [str(p) for p in content["partners"]], "base_revision": str(base_revision),
            "declarations": [str(d) for d in content["declarations"]]}
    data |= {f"section_{key}": text for key, text in content["sections"].items()}
    for n, row in enumerate(content["milestones"]):
        data |= {f"milestone_date_{n}": row["date"], f"milestone_title_{n}": row["title"]}
    for n, row in enumerate(content["budget"]):
        data |= {f"budget_category_{n}": row["category"],
                 f"budget_description_{n}": row["description"],
                 f"budget_amount_{n}": str(row["amount"])}
    return data


def bulk_applications(call, count: int, owner=None) -> None:
    """`count` submitted applications to `call`, each led by a museum of its own, in three
    statements (owned by `owner` when given, so that person's pages list them all)."""
    start = db.session.query(Organisation).count()
    db.session.execute(insert(Organisation), [
        {"name": f"Bulk Museum {start + n}", "slug": f"bulk-museum-{start + n}", "kind": "museum",
         "country": ("IT", "FR", "PL", "ES", "DE")[n % 5], "city": "", "size": "small",
         "website": "", "description": "", "verification": "verified",
         "created_at": datetime(2026, 1, 1)} for n in range(count)])
    ids = [o.id for o in db.session.query(Organisation).filter(
        Organisation.slug.like("bulk-museum-%")).order_by(Organisation.id.desc()).limit(count)]
    db.session.execute(insert(Application), [
        {"call_id": call.id, "ref": f"BULK-{call.id}-{lead_id}", "status": "submitted",
         "owner_id": getattr(owner, "id", None), "lead_organisation_id": lead_id,
         "title": f"Bulk application {lead_id}", "areas": call.areas[:1],
         "requested_eur": 20000, "content": empty_content(), "revision": 1,
         "submitted_at": datetime(2026, 1, 2), "submitted_version": 1, "eligible": True,
         "eligibility": [], "override_reason": "", "created_at": datetime(2026, 1, 1),
         "updated_at": datetime(2026, 1, 2)} for lead_id in ids])
    db.session.commit()
