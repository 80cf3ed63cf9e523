"""Mentors: a manager names one per pilot; the mentor reads the workspace, talks in its
discussion and chat, edits no document; the mentoring log is written by the mentor (and the
pilot's leads) and read by its members."""
from sqlalchemy import select

from app.calls.application_models import Application
from app.extensions import db
from app.pilots.models import Pilot
from app.policy import can
from tests.conftest import client_for
from tests.evaluation.factories import make_user

from .factories import published_programme


def it_pilot(call) -> Pilot:
    return db.session.execute(select(Pilot).join(Application).where(
        Pilot.call_id == call.id, Application.ref == "IT-1")).scalar_one()


def test_a_mentor_talks_and_logs_but_edits_no_document(app):
    call, people = published_programme()
    mentor = make_user()
    manager = client_for(app, people["manager"])
    pilot = it_pilot(call)
    assert manager.post(f"/calls/{call.slug}/grants/pilots/{pilot.id}/mentor",
                        data={"email": mentor.email}).status_code == 302
    project = it_pilot(call).project
    assert can(mentor, "project.view", project) and can(mentor, "project.converse", project)
    assert not can(mentor, "project.contribute", project)
    assert not can(mentor, "project.manage", project)
    as_mentor = client_for(app, mentor)
    assert as_mentor.get(f"/projects/{project.slug}/documents/new").status_code in (403, 404)
    log = f"/projects/{project.slug}/mentoring"
    assert as_mentor.post(log, data={"met_on": "2026-03-02", "notes": "Scope the app.",
                                     "next_steps": "Draft the storyboard."}).status_code == 302
    member = client_for(app, people["co_applicant"])
    assert "Draft the storyboard." in member.get(log).get_data(as_text=True)
    assert member.post(log, data={"met_on": "2026-03-02", "notes": "x"}).status_code == 403
    refused = as_mentor.post(log, data={"met_on": "not a day", "notes": "x"})
    assert refused.status_code == 400
    assert client_for(app, people["outsider"]).get(log).status_code == 404


def test_a_member_cannot_also_be_the_mentor(app):
    call, people = published_programme()
    response = client_for(app, people["manager"]).post(
        f"/calls/{call.slug}/grants/pilots/{it_pilot(call).id}/mentor",
        data={"email": people["co_applicant"].email})
    assert response.status_code == 400 and "already a member" in response.get_data(as_text=True)
