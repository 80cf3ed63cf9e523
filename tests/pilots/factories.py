"""Generators for pilot tests: a call whose decisions are published (`published_programme`),
with one selected application that has an applicant, a co-applicant and a partner
organisation with a known person, beside imported ones without applicants."""
import json

from sqlalchemy import select

from app.calls.application_models import ApplicationMember, ApplicationVersion
from app.evaluation import selecting
from app.extensions import db
from app.orgs.models import Organisation, OrganisationMember
from tests.evaluation.factories import (
    application, applications_of, make_manager, make_programme, make_user,
)


def programme_with_team():
    """(call, people): IT-1 (led by `applicant`, with `co_applicant`, partner person
    `partner`) and FR-1 are selected; DE-1 is below the threshold."""
    call = make_programme(
        application("IT-1", "IT", 4.8, requested=25_000), application("FR-1", "FR", 4.0),
        application("DE-1", "DE", 2.0), budget_eur=100_000)
    apps = applications_of(call)
    people = {"applicant": make_user(), "co_applicant": make_user(), "partner": make_user(),
              "manager": make_manager(), "outsider": make_user()}
    lead = apps["IT-1"]
    lead.owner_id = people["applicant"].id
    lead.members.append(ApplicationMember(email=people["co_applicant"].email.lower(),
                                          user_id=people["co_applicant"].id))
    _enrich_submitted_version(lead)
    partner_org = db.session.get(Organisation, lead.partners[0].organisation_id)
    partner_org.verification = "verified"
    db.session.add(OrganisationMember(organisation_id=partner_org.id,
                                      user_id=people["partner"].id, status="verified"))
    below = apps["DE-1"]
    below.owner_id = people["outsider"].id
    db.session.commit()
    return call, people


def _enrich_submitted_version(application_row) -> None:
    """Imports carry no sections or milestones: write some into the frozen version (with a
    Core statement, which the ORM's guard on versions does not see)."""
    versions = ApplicationVersion.__table__
    record = json.loads(db.session.execute(select(versions.c.canonical_json).where(
        versions.c.application_id == application_row.id)).scalar_one())
    record["sections"] = {"technology": "Photogrammetry and augmented reality on visitors' "
                                        "phones.", "idea": "Let visitors *hold* the objects."}
    record["milestones"] = [{"date": "2026-02-01", "title": "Kick-off"},
                            {"date": "2026-09-30", "title": "Opening | public"}]
    db.session.execute(versions.update().where(versions.c.application_id == application_row.id)
                       .values(canonical_json=json.dumps(record)))


def published_programme():
    call, people = programme_with_team()
    selecting.publish(call, by=people["manager"])
    return call, people


__all__ = ["programme_with_team", "published_programme"]
