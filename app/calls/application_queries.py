"""The read side of applications: one application (if you may see it), a person's own
applications, a call's figures for its managers, the rows the exports write. Each function
runs a fixed number of statements whatever the number of applications."""
import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import defaultload, joinedload, lazyload, load_only, selectinload

from ..core.countries import country_name
from ..core.errors import NotFound
from ..core.urls import MAX_ID
from ..extensions import db
from ..orgs.models import MUSEUM_SIZES, Organisation, OrganisationMember
from ..policy import authorize
from ..projects.areas import area_label
from .application_models import (APPLICATION_STATUSES, Application, ApplicationMember,
                                  ApplicationPartner, ApplicationVersion, CallLogEntry)
from .models import Call


#: the lead organisation (joined) without its expertise tags, which lists do not show
_LEAD_ONLY = defaultload(Application.lead_organisation).noload(Organisation.expertise)


def get_application(application_id, user, action: str = "application.view") -> Application:
    """The application with what its page shows, if `user` may see it (else 404)."""
    if not 0 < int(application_id) <= MAX_ID:
        raise NotFound()
    application = db.session.execute(
        select(Application).where(Application.id == int(application_id)).options(
            joinedload(Application.call).selectinload(Call.criteria),
            selectinload(Application.members), selectinload(Application.attachments),
            selectinload(Application.partners))).scalar_one_or_none()
    if application is None:
        raise NotFound()
    authorize(user, action, application)
    return application


def versions_of(application: Application) -> list[ApplicationVersion]:
    return list(db.session.execute(
        select(ApplicationVersion).where(ApplicationVersion.application_id == application.id)
        .order_by(ApplicationVersion.number.desc())).scalars())


def get_version(application: Application, number) -> ApplicationVersion:
    version = db.session.execute(select(ApplicationVersion).where(
        ApplicationVersion.application_id == application.id,
        ApplicationVersion.number == int(number))).scalar_one_or_none() if 0 < int(
        number) <= MAX_ID else None
    if version is None:
        raise NotFound()
    return version


def get_attachment(application: Application, attachment_id):
    found = next((a for a in application.attachments if a.id == attachment_id), None)
    if found is None:
        raise NotFound()
    return found


def record_of(version: ApplicationVersion) -> dict:
    """A submitted version as the data it froze."""
    return json.loads(version.canonical_json)


def applications_for(user) -> list[Application]:
    """The applications `user` started or was invited to, newest first (one statement)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.execute(_APPLICATIONS_FOR, {"user_id": user.id,
                                                       "email": user.email.lower()}).scalars())


# Built once (the signed-in dashboard asks it on every visit): its cache key is computed once.
# Only what the list shows (title, status, the call's title and closing time): not the
# application's content and eligibility (JSON decoded on every dashboard), nor its lead.
_APPLICATIONS_FOR = (
    select(Application).options(
        load_only(Application.title, Application.status, Application.call_id,
                  Application.updated_at),
        joinedload(Application.call).load_only(Call.language, Call.texts, Call.closes_at),
        lazyload(Application.lead_organisation))
    .where(or_(Application.owner_id == bindparam("user_id"),
               Application.id.in_(select(ApplicationMember.application_id).where(or_(
                   ApplicationMember.user_id == bindparam("user_id"),
                   ApplicationMember.email == bindparam("email"))))))
    .order_by(Application.updated_at.desc()).limit(200)
)


def lead_choices(user) -> list[Organisation]:
    """Organisations `user` may name as lead: verified member of a verified organisation."""
    return list(db.session.execute(
        select(Organisation).join(OrganisationMember)
        .where(OrganisationMember.user_id == user.id, OrganisationMember.status == "verified",
               Organisation.verification == "verified").order_by(Organisation.name)).scalars())


def partner_directory() -> list[tuple[int, str, str, str]]:
    """(id, name, kind, country) of every organisation, for the partner picker."""
    return list(db.session.execute(select(
        Organisation.id, Organisation.name, Organisation.kind, Organisation.country)
        .where(Organisation.verification != "declined").order_by(Organisation.name)).all())


@dataclass
class CallFigures:
    total: int
    by_status: list[tuple[str, int]]
    by_country: list[dict]
    by_area: list[tuple[str, int]]
    by_size: list[tuple[str, int]]
    requested_total: int
    requested_average: int
    eligible: int
    rows: list[Application]
    log: list[CallLogEntry]


def call_figures(call: Call, limit: int = 500) -> CallFigures:
    """What a call's managers see: counts by status, country, area and museum size, requested
    money, the applications themselves (the newest `limit`) and the call's log."""
    base = (select(Application.status, Organisation.country, Organisation.size,
                   Application.areas, Application.requested_eur, Application.eligible,
                   Application.eligibility_override)
            .join(Organisation, Organisation.id == Application.lead_organisation_id)
            .where(Application.call_id == call.id))
    statuses, countries, sizes, areas = Counter(), Counter(), Counter(), Counter()
    requested = eligible = submitted = 0
    for status, country, size, app_areas, amount, auto, override in db.session.execute(base):
        statuses[status] += 1
        if status != "submitted":
            continue
        submitted += 1
        countries[country] += 1
        sizes[size or "-"] += 1
        areas.update(app_areas or [])
        requested += amount or 0
        eligible += bool(auto if override is None else override)
    rows = list(db.session.execute(
        select(Application).where(Application.call_id == call.id).options(_LEAD_ONLY)
        .order_by(Application.submitted_at.desc().nulls_last(), Application.id.desc())
        .limit(limit)).scalars())
    log = list(db.session.execute(select(CallLogEntry).where(CallLogEntry.call_id == call.id)
                                  .order_by(CallLogEntry.created_at.desc()).limit(50)).scalars())
    return CallFigures(
        total=sum(statuses.values()),
        by_status=[(str(label), statuses[key]) for key, label in APPLICATION_STATUSES.items()],
        by_country=[{"key": code, "label": country_name(code), "value": n}
                    for code, n in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))],
        by_area=sorted(((area_label(k), n) for k, n in areas.items()), key=lambda kv: -kv[1]),
        by_size=[(str(MUSEUM_SIZES.get(k, "-")), sizes[k]) for k in (*MUSEUM_SIZES, "-")
                 if sizes[k]],
        requested_total=requested,
        requested_average=requested // submitted if submitted else 0,
        eligible=eligible, rows=rows, log=log)


def submitted_for_export(call: Call) -> list[tuple[Application, ApplicationVersion, list]]:
    """Every submitted application of the call with the version that counts and its partner
    organisations (3 statements, however many applications)."""
    submitted = (Application.call_id == call.id, Application.status == "submitted")
    applications = list(db.session.execute(
        select(Application).where(*submitted).options(_LEAD_ONLY).order_by(Application.ref)
    ).scalars())
    partners: dict[int, list] = {}
    for link in db.session.execute(
            select(ApplicationPartner).join(Application).where(*submitted)
            .options(defaultload(ApplicationPartner.organisation).noload(Organisation.expertise))
            .order_by(ApplicationPartner.application_id, ApplicationPartner.position)).scalars():
        partners.setdefault(link.application_id, []).append(link.organisation)
    versions = {(v.application_id, v.number): v for v in db.session.execute(
        select(ApplicationVersion).join(Application, Application.id ==
                                        ApplicationVersion.application_id)
        .where(*submitted, ApplicationVersion.number == Application.submitted_version)
    ).scalars()}
    return [(a, versions.get((a.id, a.submitted_version)), partners.get(a.id, []))
            for a in applications]


def count_for_call(call: Call) -> int:
    return db.session.execute(select(func.count()).select_from(Application).where(
        Application.call_id == call.id)).scalar_one()
