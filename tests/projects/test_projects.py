"""Creating projects, editing settings, and moving the status (with its history)."""
from sqlalchemy import select

from app.core import signals
from app.extensions import db
from app.projects.models import Activity, Project, ProjectMember, ProjectStatusChange
from tests.conftest import client_for
from tests.factories import make_org, make_project, make_user


def _form(**overrides):
    data = {"title": "Scanning the Etruscan bronzes", "slug": "", "summary": "We **scan**.",
            "areas": ["3d-digitisation", "collections"], "technologies": "Photogrammetry, glTF",
            "start_date": "2026-01-10", "end_date": "2026-06-30", "lead_organisation_id": "0"}
    data.update(overrides)
    return data


def test_any_signed_in_user_creates_a_project_and_becomes_its_lead(app):
    user = make_user()
    museum = make_org("Museo Etrusco", members=[user])
    partner = make_org("Pixel Lab", kind="technology")
    client = client_for(app, user)
    assert museum.name in client.get("/projects/new").get_data(as_text=True)
    response = client.post("/projects/new", data=_form(**{
        "lead_organisation_id": str(museum.id), "partners-0-organisation_id": str(partner.id),
        "partners-0-role": "3D capture and web viewer"}))
    assert response.status_code == 302
    project = db.session.execute(select(Project)).scalar_one()
    assert response.headers["Location"].endswith(f"/projects/{project.slug}/")
    assert project.slug == "scanning-the-etruscan-bronzes"
    assert project.status == "planning"
    assert project.area_keys == ["3d-digitisation", "collections"]
    assert project.technology_tags == ["gltf", "photogrammetry"]
    assert project.lead_organisation_id == museum.id
    assert [(p.organisation_id, p.role) for p in project.partners] == [
        (partner.id, "3D capture and web viewer")]
    role = db.session.execute(select(ProjectMember.role).where(
        ProjectMember.user_id == user.id)).scalar_one()
    assert role == "lead"
    page = client.get(f"/projects/{project.slug}/").get_data(as_text=True)
    assert "<strong>scan</strong>" in page and "Pixel Lab" in page and "3D digitisation" in page


def test_slug_is_unique_and_editable(app):
    make_project(slug="bronzes")
    client = client_for(app, make_user())
    taken = client.post("/projects/new", data=_form(slug="bronzes"))
    assert taken.status_code == 400
    assert "already uses this web address" in taken.get_data(as_text=True)
    assert client.post("/projects/new", data=_form(slug="Etruscan Bronzes 2")).status_code == 302
    assert db.session.execute(select(Project).where(Project.slug == "etruscan-bronzes-2")).scalar()


def test_invalid_projects_are_refused_without_writing_anything(app):
    client = client_for(app, make_user())
    partner_museum = make_org(kind="technology")
    cases = [
        (_form(end_date="2025-12-31"), "end date cannot be before"),
        (_form(areas=[]), "at least one"),
        (_form(areas=["time-travel"]), "not a valid choice"),
        (_form(title=""), "This field is required"),
        (_form(lead_organisation_id=str(partner_museum.id)), "Not a valid choice"),
        (_form(slug="new"), "reserved"),
    ]
    for data, message in cases:
        response = client.post("/projects/new", data=data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), message
    assert db.session.execute(select(Project)).first() is None


def test_lead_edits_settings_and_the_activity_says_so(app):
    lead = make_user()
    project = make_project(lead=lead, slug="old-slug")
    client = client_for(app, lead)
    form = client.get(f"/projects/{project.slug}/settings").get_data(as_text=True)
    assert 'value="old-slug"' in form
    response = client.post(f"/projects/{project.slug}/settings", data=_form(
        title="New title", slug="new-slug", areas=["ar-vr"]))
    assert response.status_code == 302
    db.session.refresh(project)
    assert (project.title, project.slug, project.area_keys) == ("New title", "new-slug", ["ar-vr"])
    assert client.get("/projects/old-slug/").status_code == 404
    assert "updated the project settings" in client.get("/projects/new-slug/activity").get_data(
        as_text=True)


def test_status_moves_forward_and_back_only_with_a_reason(app):
    lead = make_user()
    project = make_project(lead=lead, status="planning")
    client = client_for(app, lead)
    seen = []

    def receiver(sender, **kwargs):
        seen.append((kwargs["old_status"], kwargs["new_status"], kwargs["reason"]))

    url = f"/projects/{project.slug}/status"
    with signals.project_status_changed.connected_to(receiver):
        assert client.post(url, data={"status-status": "completed"}).status_code == 400  # skip
        assert client.post(url, data={"status-status": "active"}).status_code == 302
        assert client.post(url, data={"status-status": "completed"}).status_code == 302
        refused = client.post(url, data={"status-status": "active", "status-reason": "  "})
        assert refused.status_code == 400
        assert "give a reason" in refused.get_data(as_text=True)
        assert client.post(url, data={"status-status": "active",
                                      "status-reason": "The museum found more objects"}
                           ).status_code == 302
    db.session.refresh(project)
    assert project.status == "active"
    assert seen == [("planning", "active", ""), ("active", "completed", ""),
                    ("completed", "active", "The museum found more objects")]
    history = db.session.execute(select(ProjectStatusChange.new_status, ProjectStatusChange.reason)
                                 .order_by(ProjectStatusChange.id)).all()
    assert [h[0] for h in history] == ["active", "completed", "active"]
    page = client.get(f"/projects/{project.slug}/").get_data(as_text=True)
    assert "The museum found more objects" in page
    verbs = db.session.execute(select(Activity.verb)).scalars().all()
    assert verbs.count("project.status") == 3


def test_a_member_cannot_change_the_status(app):
    lead, member = make_user(), make_user()
    project = make_project(lead=lead, members={"member": [member]})
    response = client_for(app, member).post(f"/projects/{project.slug}/status",
                                            data={"status-status": "completed"})
    assert response.status_code == 403
    db.session.refresh(project)
    assert project.status == "active"


def test_markup_in_titles_and_summaries_is_inert(app):
    lead = make_user()
    client = client_for(app, lead)
    client.post("/projects/new", data=_form(
        title='<script>alert(1)</script>', slug="xss",
        summary='<img src=x onerror=alert(1)> [x](javascript:alert(1))'))
    page = client.get("/projects/xss/").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page


def test_saving_settings_twice_with_the_same_partners_and_areas(app):
    lead = make_user()
    partner = make_org("Pixel Lab", kind="technology")
    project = make_project(lead=lead, areas=["ar-vr", "collections"])
    client = client_for(app, lead)
    data = _form(slug=project.slug, areas=["ar-vr", "collections"], technologies="webxr",
                 **{"partners-0-organisation_id": str(partner.id), "partners-0-role": "AR"})
    assert client.post(f"/projects/{project.slug}/settings", data=data).status_code == 302
    data["partners-0-role"] = "AR and VR"
    assert client.post(f"/projects/{project.slug}/settings", data=data).status_code == 302
    db.session.refresh(project)
    assert [(p.organisation_id, p.role) for p in project.partners] == [(partner.id, "AR and VR")]
    assert project.area_keys == ["ar-vr", "collections"]
    form = client.get(f"/projects/{project.slug}/settings").get_data(as_text=True)
    assert 'value="AR and VR"' in form
