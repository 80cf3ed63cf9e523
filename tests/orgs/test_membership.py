"""Joining is a request: pending until the organisation's administrators (or a site
administrator) answer it; only verified members of a verified organisation edit it or name it
as a project's lead museum; everyone concerned is notified at each step."""
import pytest
from sqlalchemy import select

from app.core.errors import ValidationError

from app.extensions import db
from app.notifications.models import Notification
from app.notifications.services import notification_text
from app.orgs.models import OrganisationMember
from app.projects.models import Project
from app.projects.services import ProjectInput, create_project
from tests.conftest import client_for
from tests.factories import make_org, make_project, make_user


def _status(org, user):
    row = db.session.get(OrganisationMember, (org.id, user.id))
    return None if row is None else row.status


def _texts(user) -> list[str]:
    return [notification_text(n) for n in db.session.execute(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.id)).scalars()]


def _lead_menu(page: str) -> str:
    start = page.index('id="lead_organisation_id"')
    return page[start:page.index("</select>", start)]


def _project_form(org_id):
    return {"title": "Scanning bronzes", "slug": "", "summary": "We scan.",
            "areas": ["3d-digitisation"], "technologies": "", "lead_organisation_id": str(org_id)}


def test_asking_to_join_makes_a_pending_request_and_tells_the_administrators(app):
    chief, newcomer = make_user("Chiara Chief"), make_user("Nico Newcomer")
    org = make_org("Museo Uno", members=[chief])
    client = client_for(app, newcomer)
    assert client.post(f"/orgs/{org.slug}/join").status_code == 302
    assert _status(org, newcomer) == "pending"
    assert _texts(chief) == ["Nico Newcomer asks to join Museo Uno"]
    client.post(f"/orgs/{org.slug}/join")  # twice is harmless: one request, one notification
    assert len(_texts(chief)) == 1
    page = client.get(f"/orgs/{org.slug}").get_data(as_text=True)
    assert "Your request to join is pending" in page
    assert "Nico Newcomer" not in page.split('id="members-heading"')[1]  # not among the people
    profile = client.get(f"/users/{newcomer.id}").get_data(as_text=True)
    assert "Museo Uno" in profile and "Request pending" in profile


def test_a_pending_person_can_do_nothing_on_the_organisations_behalf(app):
    newcomer = make_user()
    org = make_org("Museo Uno", members=[make_user()], pending=[newcomer])
    client = client_for(app, newcomer)
    assert client.get(f"/orgs/{org.slug}/edit").status_code == 403
    assert "Museo Uno" not in _lead_menu(client.get("/projects/new").get_data(as_text=True))
    assert client.post("/projects/new", data=_project_form(org.id)).status_code == 400
    with pytest.raises(ValidationError, match="verified member"):  # the service says so too
        create_project(newcomer, ProjectInput(title="Bronzes", areas=["3d-digitisation"],
                                              lead_organisation_id=org.id))
    assert db.session.execute(select(Project)).first() is None


def test_the_organisations_administrator_approves_and_the_person_is_told(app):
    chief, newcomer = make_user("Chiara Chief"), make_user("Nico Newcomer")
    org = make_org("Museo Uno", members=[chief], pending=[newcomer])
    admin_client = client_for(app, chief)
    page = admin_client.get(f"/orgs/{org.slug}").get_data(as_text=True)
    assert "Requests to join" in page and "Nico Newcomer" in page
    response = admin_client.post(f"/orgs/{org.slug}/requests/{newcomer.id}/approve")
    assert response.status_code == 302
    assert _status(org, newcomer) == "verified"
    assert _texts(newcomer) == ["Chiara Chief approved your request: you are a member of Museo Uno"]
    client = client_for(app, newcomer)
    assert client.get(f"/orgs/{org.slug}/edit").status_code == 200
    assert client.post("/projects/new", data=_project_form(org.id)).status_code == 302
    assert db.session.execute(select(Project.lead_organisation_id)).scalar_one() == org.id


def test_a_declined_request_shows_as_declined_and_may_be_made_again(app):
    chief, newcomer = make_user("Chiara Chief"), make_user("Nico Newcomer")
    org = make_org("Museo Uno", members=[chief], pending=[newcomer])
    client_for(app, chief).post(f"/orgs/{org.slug}/requests/{newcomer.id}/decline")
    assert _status(org, newcomer) == "declined"
    assert _texts(newcomer) == ["Chiara Chief declined your request to join Museo Uno"]
    client = client_for(app, newcomer)
    page = client.get(f"/orgs/{org.slug}").get_data(as_text=True)
    assert "Your request to join was declined" in page and "Ask again to join" in page
    assert "Request declined" in client.get(f"/users/{newcomer.id}").get_data(as_text=True)
    assert client.get(f"/orgs/{org.slug}/edit").status_code == 403
    client.post(f"/orgs/{org.slug}/join")
    assert _status(org, newcomer) == "pending"
    assert len(_texts(chief)) == 1  # the first request was created by the factory, unannounced


def test_others_see_only_verified_members_on_a_profile(app):
    newcomer = make_user("Nico Newcomer")
    org = make_org("Museo Uno", members=[make_user()], pending=[newcomer])
    stranger = client_for(app, make_user())
    assert "Museo Uno" not in stranger.get(f"/users/{newcomer.id}").get_data(as_text=True)
    site_admin = client_for(app, make_user(admin=True))
    assert "Request pending" in site_admin.get(f"/users/{newcomer.id}").get_data(as_text=True)
    assert org.members and newcomer not in org.members


def test_only_administrators_answer_requests(app):
    chief, member, newcomer = make_user(), make_user(), make_user()
    org = make_org(members=[chief, member], pending=[newcomer])
    assert client_for(app, member).post(
        f"/orgs/{org.slug}/requests/{newcomer.id}/approve").status_code == 403
    assert client_for(app, make_user()).post(
        f"/orgs/{org.slug}/requests/{newcomer.id}/approve").status_code == 403
    assert client_for(app, newcomer).post(
        f"/orgs/{org.slug}/requests/{newcomer.id}/approve").status_code == 403
    assert _status(org, newcomer) == "pending"
    assert client_for(app, make_user(admin=True)).post(
        f"/orgs/{org.slug}/requests/{newcomer.id}/approve").status_code == 302
    assert _status(org, newcomer) == "verified"


def test_the_first_verified_member_becomes_an_administrator(app):
    first, second = make_user(), make_user()
    org = make_org(members=[], pending=[first, second])
    site_admin = client_for(app, make_user(admin=True))
    site_admin.post(f"/orgs/{org.slug}/requests/{first.id}/approve")
    site_admin.post(f"/orgs/{org.slug}/requests/{second.id}/approve")
    rows = {m.user_id: m.is_admin for m in db.session.execute(select(OrganisationMember)).scalars()}
    assert rows == {first.id: True, second.id: False}


def test_requests_without_an_administrator_go_to_the_site_administrators(app):
    site_admin, newcomer = make_user("Ada Admin", admin=True), make_user("Nico Newcomer")
    org = make_org("Museo Vuoto", members=[])
    client_for(app, newcomer).post(f"/orgs/{org.slug}/join")
    assert _texts(site_admin) == ["Nico Newcomer asks to join Museo Vuoto"]
    queue = client_for(app, site_admin).get("/orgs/verification").get_data(as_text=True)
    assert "Nico Newcomer" in queue and "Museo Vuoto" in queue


def test_administrators_name_other_administrators_but_never_remove_the_last(app):
    chief, member = make_user("Chiara Chief"), make_user("Marco Member")
    org = make_org("Museo Uno", members=[chief, member])
    chief_client = client_for(app, chief)
    assert client_for(app, member).post(
        f"/orgs/{org.slug}/members/{member.id}/make-admin").status_code == 403
    assert chief_client.post(f"/orgs/{org.slug}/members/{member.id}/make-admin").status_code == 302
    assert db.session.get(OrganisationMember, (org.id, member.id)).is_admin
    assert _texts(member) == ["Chiara Chief made you an administrator of Museo Uno"]
    chief_client.post(f"/orgs/{org.slug}/members/{member.id}/remove-admin")
    assert not db.session.get(OrganisationMember, (org.id, member.id)).is_admin
    response = chief_client.post(f"/orgs/{org.slug}/members/{chief.id}/remove-admin",
                                 follow_redirects=True)
    assert "at least one administrator" in response.get_data(as_text=True)
    assert db.session.get(OrganisationMember, (org.id, chief.id)).is_admin


def test_when_the_last_administrator_leaves_the_longest_standing_member_takes_over(app):
    chief, member = make_user(), make_user()
    org = make_org(members=[chief, member])
    client_for(app, chief).post(f"/orgs/{org.slug}/leave")
    assert _status(org, chief) is None
    assert db.session.get(OrganisationMember, (org.id, member.id)).is_admin


def test_withdrawing_a_request(app):
    newcomer = make_user()
    org = make_org(members=[make_user()], pending=[newcomer])
    response = client_for(app, newcomer).post(f"/orgs/{org.slug}/leave", follow_redirects=True)
    assert "has been withdrawn" in response.get_data(as_text=True)
    assert _status(org, newcomer) is None


def test_only_members_of_a_verified_museum_name_it_as_lead(app):
    member = make_user()
    unverified = make_org("Museo Nuovo", members=[member], verification="unverified")
    elsewhere = make_org("Museo Altrove", members=[make_user()])
    client = client_for(app, member)
    for org in (unverified, elsewhere):
        response = client.post("/projects/new", data=_project_form(org.id))
        assert response.status_code == 400, org.name
    assert db.session.execute(select(Project)).first() is None


def test_a_project_keeps_a_lead_museum_its_lead_does_not_belong_to(app):
    lead = make_user()
    museum = make_org("Museo Altrove", members=[make_user()])
    project = make_project(lead=lead, organisation=museum)
    client = client_for(app, lead)
    assert "Museo Altrove" in client.get(f"/projects/{project.slug}/settings").get_data(as_text=True)
    response = client.post(f"/projects/{project.slug}/settings", data={
        **_project_form(museum.id), "slug": project.slug, "title": "Renamed"})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.title == "Renamed" and project.lead_organisation_id == museum.id
