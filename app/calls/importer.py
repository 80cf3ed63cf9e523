"""`flask calls import FILE.json`: a call and its submitted applications collected elsewhere.

The contract (docs/calls.md): `{"call": {...}, "applications": [...]}`. The call is created or
updated by its slug; each application is created or updated by its `ref` within the call, in a
savepoint of its own, so a refused record leaves the others in. Re-importing the same file
changes nothing (an application gets a new submitted version only when its content changed).
Organisations are matched to the directory by name and country, or added unverified.
"""
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..core.errors import DomainError, ValidationError
from ..core.text import clean_text
from ..extensions import db
from ..orgs.services import OrganisationInput, match_or_add
from . import services
from .application_content import SUMMARY_MAX, TITLE_MAX, _amount, canonical_json, \
    clean_content, empty_content
from .application_models import Application
from .models import Call
from .submission import freeze, judge, last_version, set_partners, version_record
from .validation import defaults

CALL_FIELDS = ("slug", "opens", "closes", "budget_eur", "max_grant_eur", "areas", "countries",
               "max_per_country", "min_small_share", "threshold", "criteria",
               "evaluators_per_application")


@dataclass
class ImportReport:
    call: Call | None = None
    call_created: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (ref or "#n", reason) of every refused record
    refused: list[tuple[str, str]] = field(default_factory=list)


def _stored_values(call: Call) -> dict:
    """An existing call's settings in `clean_call`'s input shape (what the import keeps)."""
    values = {name: getattr(call, name) for name in (
        "slug", "language", "timezone", "texts", "budget_eur", "max_grant_eur", "countries",
        "lead_kinds", "museum_sizes", "min_partners", "partner_kinds", "areas", "threshold",
        "evaluators_per_application", "two_stage", "results", "max_per_country",
        "min_small_share", "applications_per_lead", "declarations")}
    return values | {"opens": call.opens_at.replace(tzinfo=UTC),
                     "closes": call.closes_at.replace(tzinfo=UTC),
                     "criteria": [(c.title, c.weight, c.key) for c in call.criteria]}


def _call_input(given: dict, existing: Call | None) -> dict:
    data = _stored_values(existing) if existing else defaults() | {"timezone": "UTC"}
    data |= {name: given[name] for name in CALL_FIELDS if given.get(name) is not None}
    language = data.get("language") or "en"
    texts = dict(data.get("texts") or {})
    title = given.get("title") or (texts.get(language) or {}).get("title")
    description = given.get("description") or (texts.get(language) or {}).get(
        "description") or title
    texts[language] = (texts.get(language) or {}) | {"title": title, "description": description}
    return data | {"texts": texts}


def import_call(given) -> tuple[Call, bool]:
    """Create or update the call; a new one is opened (and closed) as its dates say."""
    if not isinstance(given, dict):
        raise ValidationError(_("The file needs a \"call\" object."), field="call")
    existing = db.session.execute(select(Call).where(
        Call.slug == str(given.get("slug") or ""))).scalar_one_or_none()
    data = _call_input(given, existing)
    if existing is not None:
        return services.update_call(existing, data), False
    call = services.create_call(data)
    for status in ("open", "closed"):
        moment = call.opens_at if status == "open" else call.closes_at
        if moment <= datetime.now(UTC).replace(tzinfo=None):
            services.change_status(call, status)
    return call, True


def _moment(value) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValidationError(_("Give an ISO 8601 moment with its offset, e.g. "
                                "2025-03-31T16:59:00+02:00."), field="submitted_at")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _score(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 5:
        raise ValidationError(_("A score from 0 to 5."), field="consensus_score")
    return round(float(value), 3)


def _organisation(given, field_name: str):
    if not isinstance(given, dict):
        raise ValidationError(_("An organisation needs name, country and kind."),
                              field=field_name)
    try:
        return match_or_add(OrganisationInput(
            name=str(given.get("name") or ""), kind=str(given.get("kind") or ""),
            country=str(given.get("country") or ""), size=given.get("size") or None,
            website=str(given.get("website") or "")))
    except ValidationError as error:
        raise ValidationError(error.message, field=f"{field_name}.{error.field}") from None


def _clean_record(record) -> dict:
    if not isinstance(record, dict):
        raise ValidationError(_("Each application must be an object."), field="application")
    ref = clean_text(record.get("ref") if isinstance(record.get("ref"), str) else None,
                     field="ref", max_length=40, required=True)
    areas = record.get("areas") if isinstance(record.get("areas"), list) else None
    if not areas:
        raise ValidationError(_("Give the application's areas."), field="areas")
    content = empty_content() | {
        "title": clean_text(record.get("title"), field="title", max_length=TITLE_MAX,
                            required=True),
        "summary": clean_text(record.get("summary"), field="summary", max_length=SUMMARY_MAX,
                              multiline=True, required=True),
    }
    content["areas"] = clean_content({"areas": areas})["areas"]
    partners = record.get("partners") or []
    if not isinstance(partners, list):
        raise ValidationError(_("Partners must be a list."), field="partners")
    return {"ref": ref, "content": content, "partners": partners,
            "requested": _amount(record.get("requested_eur"), "requested_eur"),
            "submitted_at": _moment(record.get("submitted_at")),
            "score": _score(record.get("consensus_score")), "lead": record.get("lead")}


def _import_one(call: Call, record) -> str:
    """Create or update one application; returns "created", "updated" or "unchanged"."""
    clean = _clean_record(record)
    lead = _organisation(clean["lead"], "lead")
    partners = [_organisation(p, f"partners[{n}]") for n, p in enumerate(clean["partners"])]
    application = db.session.execute(select(Application).where(
        Application.call_id == call.id, Application.ref == clean["ref"])).scalar_one_or_none()
    outcome = "updated"
    if application is None:
        application, outcome = Application(call=call, ref=clean["ref"], status="submitted"), \
            "created"
        db.session.add(application)
    elif application.owner_id is not None:
        raise ValidationError(_("This ref belongs to an application made in the space."),
                              field="ref")
    content = clean["content"]
    before = _snapshot(application)
    application.lead_organisation = lead
    application.title, application.areas = content["title"], content["areas"]
    application.requested_eur, application.content = clean["requested"], content
    application.consensus_score = clean["score"]
    set_partners(application, partners)
    judge(application, content, imported=True)
    db.session.flush()
    previous = last_version(application)
    if previous is not None and previous.submitted_at == clean["submitted_at"] and canonical_json(
            version_record(application, content, previous.number, previous.submitted_at)
    ) == previous.canonical_json:
        return "unchanged" if before == _snapshot(application) else outcome
    freeze(application, content, clean["submitted_at"])
    return outcome


def _snapshot(application: Application) -> tuple:
    return (application.lead_organisation_id, application.title, application.areas,
            application.requested_eur, application.content, application.consensus_score,
            [p.organisation_id for p in application.partners], application.eligible)


def import_programme(data) -> ImportReport:
    """Import a parsed file; the call first (a bad call stops everything), then each record."""
    report = ImportReport()
    if not isinstance(data, dict) or not isinstance(data.get("applications", []), list):
        raise ValidationError(_("The file must hold {\"call\": {...}, \"applications\": "
                                "[...]}."), field="file")
    report.call, report.call_created = import_call(data.get("call"))
    seen = set()
    for n, record in enumerate(data.get("applications") or [], 1):
        name = record.get("ref") if isinstance(record, dict) and isinstance(
            record.get("ref"), str) and record.get("ref") else f"#{n}"
        if name in seen:
            report.refused.append((name, _("The same ref appears twice in the file.")))
            continue
        seen.add(name)
        try:
            with db.session.begin_nested():
                outcome = _import_one(report.call, record)
        except DomainError as error:
            where = f"{error.field}: " if error.field else ""
            report.refused.append((name, f"{where}{error.message}"))
            continue
        except SQLAlchemyError as error:
            report.refused.append((name, str(error.orig if hasattr(error, "orig") else error)))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    db.session.commit()
    return report
