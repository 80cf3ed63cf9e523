"""The dashboard ("My projects"), unread counts, the activity feed, and SQL statement counts
that stay the same whatever the number of projects, members and activity lines."""
from sqlalchemy import select

from app.extensions import db
from app.projects.models import ProjectMember
from tests.conftest import client_for
from tests.factories import make_org, make_project, make_user
from tests.querycount import count_queries

from .factories import make_activity


def _unread_badges(html: str) -> list[str]:
    import re

    return re.findall(r'data-unread="(\d+)"', html)


def test_unread_counts_other_peoples_activity_since_the_last_visit(app):
    anna, bruno = make_user("Anna"), make_user("Bruno")
    project = make_project(lead=anna, members={"member": [bruno]}, title="Textile scans")
    make_activity(project, bruno, minutes_ago=30)
    make_activity(project, anna, minutes_ago=20)  # her own lines never count
    client = client_for(app, anna)
    assert _unread_badges(client.get("/projects/").get_data(as_text=True)) == ["1"]
    client.get(f"/projects/{project.slug}/")  # opening the overview marks everything read
    assert _unread_badges(client.get("/projects/").get_data(as_text=True)) == []
    make_activity(project, bruno, "file.uploaded", summary="scan-01.glb")
    make_activity(project, bruno, "document.edited", summary="Meeting notes")
    page = client.get("/projects/").get_data(as_text=True)
    assert _unread_badges(page) == ["2"]
    assert "Meeting notes" in page  # latest activity line of the project
    client.get(f"/projects/{project.slug}/activity")
    assert _unread_badges(client.get("/projects/").get_data(as_text=True)) == []
    visited = db.session.execute(select(ProjectMember.last_visited_at).where(
        ProjectMember.user_id == anna.id)).scalar_one()
    assert visited is not None


def _visited(user):
    db.session.expire_all()
    return db.session.execute(select(ProjectMember.last_visited_at).where(
        ProjectMember.user_id == user.id)).scalar_one()


def test_overview_writes_the_visit_only_when_something_happened_since(app):
    anna, bruno = make_user("Anna"), make_user("Bruno")
    project = make_project(lead=anna, members={"member": [bruno]})
    make_activity(project, bruno, minutes_ago=30)
    client = client_for(app, anna)
    overview = f"/projects/{project.slug}/"
    client.get(overview)
    seen = _visited(anna)
    with count_queries() as queries:  # nothing new since: no write, no commit
        assert client.get(overview).status_code == 200
    assert not [s for s in queries.statements if s.lstrip().upper().startswith("UPDATE")], \
        str(queries)
    assert _visited(anna) == seen
    make_activity(project, bruno, "document.edited", summary="Loan list")
    assert _unread_badges(client.get("/projects/").get_data(as_text=True)) == ["1"]
    client.get(overview)  # something new: the visit is written, the line counts as read
    assert _visited(anna) > seen
    assert _unread_badges(client.get("/projects/").get_data(as_text=True)) == []


def test_dashboard_lists_only_my_projects_with_a_combined_feed(app):
    me, other = make_user("Me"), make_user("Other")
    mine = make_project(lead=me, title="My AR guide")
    theirs = make_project(lead=other, title="Someone else's secret")
    make_activity(mine, other, "document.created", summary="Visitor survey", target_type="document",
                  target_id=7)
    make_activity(theirs, other, summary="Secret plan")
    page = client_for(app, me).get("/projects/").get_data(as_text=True)
    assert "My AR guide" in page and "Visitor survey" in page
    assert "Someone else" not in page and "Secret plan" not in page
    assert f'href="/projects/{mine.slug}/documents/7"' in page


def test_activity_feed_is_paginated_and_readable(app):
    lead = make_user("Lena")
    project = make_project(lead=lead)
    for n in range(45):
        make_activity(project, lead, "file.uploaded", summary=f"photo-{n:02}.jpg",
                      target_type="file", target_id=n + 1, minutes_ago=100 - n, commit=False)
    make_activity(project, lead, "document.deleted", summary="Old notes", target_type="document",
                  target_id=99, minutes_ago=0, commit=False)
    make_activity(project, lead, "discussion.reply", summary="Kick-off", target_type="thread",
                  target_id=5, commit=False)
    make_activity(project, lead, "mystery.verb", summary="Something")
    client = client_for(app, lead)
    first = client.get(f"/projects/{project.slug}/activity").get_data(as_text=True)
    assert "Lena</strong> deleted the document" in first
    assert f'/projects/{project.slug}/documents/99' not in first  # no link to a deleted page
    assert f'href="/projects/{project.slug}/files/44">photo-43.jpg' in first
    assert "mystery verb" in first
    assert "replied in" in first
    assert f'href="/projects/{project.slug}/discussion/5">Kick-off</a>' in first
    assert 'rel="next"' in first
    second = client.get(f"/projects/{project.slug}/activity?page=2").get_data(as_text=True)
    assert "photo-00.jpg" in second and "photo-43.jpg" not in second
    assert client.get(f"/projects/{project.slug}/activity?page=banana").status_code == 200


def _populate(lead, n_projects: int, n_members: int, n_activities: int):
    museum = make_org()
    partners = [make_org(kind="technology") for _ in range(2)]
    people = [make_user() for _ in range(n_members)]
    for _ in range(n_projects):
        project = make_project(lead=lead, members={"member": people}, organisation=museum)
        from app.projects.models import ProjectPartner, ProjectTechnology

        project.partners = [ProjectPartner(organisation_id=p.id, role="tech") for p in partners]
        project.technologies = [ProjectTechnology(tag="webxr")]
        for n in range(n_activities):
            make_activity(project, people[n % len(people)], minutes_ago=n, commit=False)
        db.session.commit()
    return project


def _statements(client, url) -> int:
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries


def test_dashboard_statement_count_does_not_grow_with_rows(app):
    lead = make_user()
    client = client_for(app, lead)
    _populate(lead, n_projects=2, n_members=2, n_activities=3)
    small = _statements(client, "/projects/")
    _populate(lead, n_projects=25, n_members=6, n_activities=20)
    large = _statements(client, "/projects/")
    assert large.count == small.count, f"small: {small}\nlarge: {large}"
    assert large.count <= 10, str(large)


def test_api_project_list_statement_count_does_not_grow_with_rows(app):
    lead = make_user()
    client = client_for(app, lead)
    _populate(lead, n_projects=2, n_members=2, n_activities=3)
    small = _statements(client, "/api/v1/projects")
    _populate(lead, n_projects=25, n_members=6, n_activities=20)
    large = _statements(client, "/api/v1/projects")
    assert len(client.get("/api/v1/projects").get_json()["projects"]) == 27
    assert large.count == small.count, f"small: {small}\nlarge: {large}"


def test_project_pages_statement_counts_do_not_grow_with_rows(app):
    lead = make_user()
    client = client_for(app, lead)
    small_project = _populate(lead, n_projects=1, n_members=2, n_activities=3)
    large_project = _populate(lead, n_projects=1, n_members=30, n_activities=120)
    for path in ("/", "/activity", "/members", "/settings"):
        small = _statements(client, f"/projects/{small_project.slug}{path}")
        large = _statements(client, f"/projects/{large_project.slug}{path}")
        assert large.count == small.count, f"{path}\nsmall: {small}\nlarge: {large}"
        # 17 on the overview: the partner search's wanted areas and the pilot card joined it
        assert large.count <= 17, f"{path}: {large}"


def test_api_lists_my_projects_with_role_and_unread(app):
    lead, member = make_user(), make_user()
    project = make_project(lead=lead, members={"observer": [member]}, title="Open storage")
    make_activity(project, lead)
    data = client_for(app, member).get("/api/v1/projects").get_json()
    assert data["projects"][0]["title"] == "Open storage"
    assert data["projects"][0]["role"] == "observer"
    assert data["projects"][0]["unread"] == 1
    members = client_for(app, member).get(f"/api/v1/projects/{project.slug}/members").get_json()
    assert {m["role"] for m in members["members"]} == {"lead", "observer"}
    assert "email" not in members["members"][0]


def test_admin_sees_all_projects(app):
    admin = make_user(admin=True)
    make_project(title="Alpha"), make_project(title="Beta", status="completed")
    client = client_for(app, admin)
    assert "All projects" in client.get("/projects/").get_data(as_text=True)
    page = client.get("/projects/all").get_data(as_text=True)
    assert "Alpha" in page and "Beta" in page
    completed = client.get("/projects/all?status=completed").get_data(as_text=True)
    assert "Beta" in completed and "Alpha" not in completed


def test_api_without_a_session_says_to_sign_in(client):
    response = client.get("/api/v1/projects")
    assert response.status_code == 401
    assert response.get_json() == {"error": "Please sign in first."}
