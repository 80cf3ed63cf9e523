"""Publishing a call's decisions starts its pilots: every applicant hears the decision (with
the reason, and the consensus comment when not selected), sees it on the application page,
and each selected application becomes a workspace, once however often it is published."""
from sqlalchemy import func, select

from app.calls.application_models import Application
from app.documents.models import Document
from app.evaluation import selecting
from app.evaluation.models import Consensus
from app.extensions import db
from app.notifications.models import Notification
from app.pilots.models import GrantInstalment, Pilot
from app.projects.models import Project, ProjectMember
from tests.conftest import client_for
from tests.notifications.test_digest import smtp_inbox  # noqa: F401 - a fixture

from .factories import programme_with_team, published_programme


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def pilot_of(call, ref) -> Pilot:
    return db.session.execute(select(Pilot).join(Application).where(
        Pilot.call_id == call.id, Application.ref == ref)).scalar_one()


def test_each_selected_application_becomes_a_workspace_with_its_team(app):
    call, people = published_programme()
    pilot = pilot_of(call, "IT-1")
    project = pilot.project
    roles = {m.user_id: m.role for m in db.session.execute(
        select(ProjectMember).where(ProjectMember.project_id == project.id)).scalars()}
    assert roles == {people["applicant"].id: "lead", people["co_applicant"].id: "member",
                     people["partner"].id: "member"}
    assert project.area_keys == ["collections"]
    assert "photogrammetry" in project.technology_tags
    assert str(project.start_date) == "2026-02-01" and str(project.end_date) == "2026-09-30"
    proposal = db.session.execute(select(Document).where(
        Document.project_id == project.id)).scalar_one()
    assert proposal.title == "Proposal"
    body = proposal.current_revision.body
    assert "## Milestones" in body and "Opening \\| public" in body
    assert "A **pilot** for visitors." in body
    assert pilot_of(call, "FR-1").project is not None  # imported: the manager leads for now
    assert count(Pilot) == 2


def test_publishing_twice_creates_nothing_twice(app):
    call, people = published_programme()
    before = {model: count(model) for model in (Pilot, Project, Document, GrantInstalment,
                                                  ProjectMember, Notification)}
    selecting.publish(call, by=people["manager"])
    assert {model: count(model) for model in before} == before


def test_every_applicant_hears_the_decision_and_reads_it_on_the_application(app):
    call, people = programme_with_team()
    below = db.session.execute(select(Application).where(
        Application.call_id == call.id, Application.ref == "DE-1")).scalar_one()
    db.session.add(Consensus(application_id=below.id, score=2.0,
                             comment="The workplan is too thin for a pilot."))
    db.session.commit()
    selecting.publish(call, by=people["manager"])
    texts = {n.user_id: (n.detail, n.url) for n in db.session.execute(
        select(Notification).where(Notification.verb == "decided")).scalars()}
    project = pilot_of(call, "IT-1").project
    assert texts[people["applicant"].id] == ("selected", f"/projects/{project.slug}/")
    assert texts[people["co_applicant"].id][0] == "selected"
    assert texts[people["outsider"].id][0] == "not_selected"
    page = client_for(app, people["outsider"]).get(f"/applications/{below.id}")
    text = page.get_data(as_text=True)
    assert "Not selected" in text and "below the minimum score" in text
    assert "The workplan is too thin for a pilot." in text
    selected = pilot_of(call, "IT-1").application
    page = client_for(app, people["applicant"]).get(f"/applications/{selected.id}")
    text = page.get_data(as_text=True)
    assert "Open the pilot" in text and f"/projects/{project.slug}/" in text
    assert client_for(app, people["applicant"]).get(
        f"/projects/{project.slug}/").status_code == 200


def test_the_decision_is_mailed_when_smtp_is_set(app, smtp_inbox):  # noqa: F811
    call, people = programme_with_team()
    selecting.publish(call, by=people["manager"])
    to = {recipients[0]: mail.get_payload(decode=True).decode()
          for recipients, mail in smtp_inbox.messages}
    assert "below the minimum score" in to[people["outsider"].email]
    assert "/projects/" in to[people["applicant"].email]
    assert people["co_applicant"].email in to
