"""Starting the pilots of a call: each selected application becomes a `Pilot` with a project
workspace (lead applicant as lead, co-applicants as members, the partners' known people
invited, areas and technologies copied, the submitted application as the "Proposal"
document, the workplan's milestones setting its dates) and a grant in instalments.

Idempotent: one pilot per application (a unique key), so publishing twice starts nothing
twice. Each pilot is made in one transaction of its own; a pilot that cannot be made (its
application names no area any more, say) is skipped and written in the call's log, and the
others still start. No policy call here: the caller (`evaluation.selecting.publish`) was
authorized as a programme manager."""
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..archive.technologies import spaced, text_synonyms
from ..calls import application_queries
from ..calls.application_models import Application, CallLogEntry
from ..core.errors import ValidationError
from ..core.time import utcnow
from ..documents.services import add_programme_document
from ..extensions import db
from ..orgs.models import OrganisationMember
from ..projects import services as projects
from ..projects.areas import APPLICATION_AREAS
from ..projects.models import ROLE_MEMBER
from .grants import schedule_instalments
from .models import Pilot
from .proposal import milestone_dates, proposal_markdown

#: a technology found in running text must be at least this long (no "ar" inside "art")
SHORTEST_PHRASE = 4


def technologies_in(text: str) -> list[str]:
    """The vocabulary's technologies the text names (the application has no tags of its
    own: its "technology" section says what it uses)."""
    words = f" {spaced(text or '')} "
    found = [key for phrase, key in text_synonyms().items()
             if len(phrase) >= SHORTEST_PHRASE and f" {phrase} " in words]
    return list(dict.fromkeys(found))[:20]


def _known_people(organisation_ids) -> dict[int, list]:
    """Verified members of these organisations, by organisation, oldest first."""
    people: dict[int, list] = {}
    if not organisation_ids:
        return people
    for membership in db.session.execute(
            select(OrganisationMember).where(
                OrganisationMember.organisation_id.in_(organisation_ids),
                OrganisationMember.status == "verified")
            .order_by(OrganisationMember.user_id)).scalars():
        if membership.user.active:
            people.setdefault(membership.organisation_id, []).append(membership.user)
    return people


def _team(application: Application, by):
    """(lead, {user: role}): the applicants lead and join; the partners' people are invited.
    An imported application has no applicants: a known person of its lead museum leads, and
    failing that the manager who published, until they hand the lead over."""
    applicants = [u for u in [application.owner, *(m.user for m in application.members)]
                  if u is not None and u.active]
    people = _known_people([application.lead_organisation_id,
                            *(p.organisation_id for p in application.partners)])
    lead = (applicants or people.get(application.lead_organisation_id) or [by])[0]
    members = {user: ROLE_MEMBER for user in applicants[1:]}
    for partner in application.partners:
        for user in people.get(partner.organisation_id, []):
            members.setdefault(user, ROLE_MEMBER)
    members.pop(lead, None)
    return lead, members


def _workspace_input(application: Application, record: dict) -> projects.ProjectInput:
    start, end = milestone_dates(record)
    lead_org = application.lead_organisation
    return projects.ProjectInput(
        title=(record.get("title") or application.title or application.ref)[:200],
        slug=projects.suggest_slug(record.get("title") or application.title or application.ref),
        summary=record.get("summary") or "",
        lead_organisation_id=lead_org.id if lead_org.kind == "museum" else None,
        partners=[(p.organisation_id, "") for p in application.partners],
        areas=[a for a in application.areas or [] if a in APPLICATION_AREAS],
        technologies=technologies_in((record.get("sections") or {}).get("technology", "")),
        start_date=start, end_date=end)


def _record(application: Application) -> dict:
    versions = application_queries.versions_of(application)
    return application_queries.record_of(versions[-1]) if versions else {
        "ref": application.ref, "title": application.title, **(application.content or {})}


def _start_one(call, application: Application, by) -> Pilot | None:
    record = _record(application)
    lead, members = _team(application, by)
    with force_locale(lead.locale or "en"):
        project = projects.open_programme_workspace(
            lead, _workspace_input(application, record), members)
        add_programme_document(lead, project, title=_("Proposal"), body=proposal_markdown(record),
                               summary=application.ref)
    pilot = Pilot(application_id=application.id, call_id=call.id, project_id=project.id,
                  grant_eur=application.requested_eur or 0, created_at=utcnow())
    db.session.add(pilot)
    db.session.flush()
    schedule_instalments(pilot, utcnow().date())
    db.session.commit()
    projects.announce_members(project, by)
    return pilot


def start_pilots(call, applications: list[Application], *, by) -> list[Pilot]:
    """A pilot for each application that has none yet; returns the pilots made now."""
    started = set(db.session.execute(
        select(Pilot.application_id).where(Pilot.call_id == call.id)).scalars())
    made = []
    for application in applications:
        if application.id in started:
            continue
        try:
            pilot = _start_one(call, application, by)
        except (ValidationError, IntegrityError) as error:  # skipped, said in the log
            db.session.rollback()
            db.session.add(CallLogEntry(
                call_id=call.id, application_id=application.id, actor_id=by.id,
                action="pilot.not_started", message=str(getattr(error, "message", error))[:500]))
            db.session.commit()
            continue
        made.append(pilot)
    return made
