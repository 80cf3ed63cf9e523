"""The pickers' JSON: members to @mention and documents/files to link, bounded and validated."""
from app.core.time import utcnow
from app.documents.models import Document
from app.extensions import db
from app.files.models import ProjectFile

from ..conftest import client_for
from ..factories import add_member, make_project, make_user

LINKABLES = "/api/v1/projects/herbarium/linkables"
MEMBERS = "/api/v1/projects/herbarium/members/search"


def _workspace_things(team):
    other = make_project(lead=team.lead)
    gone = Document(project_id=team.project.id, title="Old plan", deleted_at=utcnow())
    db.session.add_all([
        Document(project_id=team.project.id, title="Scanning plan"),
        Document(project_id=team.project.id, title="Plans", is_folder=True),
        Document(project_id=team.project.id, title="Odd [plan]"),
        Document(project_id=other.id, title="Secret plan"), gone,
        ProjectFile(project_id=team.project.id, name="plan.pdf"),
    ])
    db.session.commit()


def test_linkables_offer_live_documents_and_files_of_this_workspace_with_their_link_text(team, app):
    _workspace_things(team)
    found = client_for(app, team.observer).get(f"{LINKABLES}?q=PLAN").get_json()["targets"]
    assert [(t["kind"], t["title"], t["insert"]) for t in found] == [
        ("document", "Scanning plan", "[[Scanning plan]]"),
        ("file", "plan.pdf", "[[file:plan.pdf]]"),
    ]
    document, file = found
    assert document["markdown"] == f"[Scanning plan]({document['url']})"
    assert file["markdown"] == f"[plan\\.pdf]({file['url']})"
    assert file["url"].startswith("/projects/herbarium/files/")


def test_linkables_and_members_are_capped_at_ten(team, app):
    db.session.add_all([Document(project_id=team.project.id, title=f"Report {n}") for n in range(12)]
                       + [ProjectFile(project_id=team.project.id, name=f"report{n}.txt")
                          for n in range(3)])
    for n in range(12):
        add_member(team.project, make_user(f"Reza Number{n}", f"reza{n}@museum.example"))
    db.session.commit()
    client = client_for(app, team.member)
    assert len(client.get(f"{LINKABLES}?q=report").get_json()["targets"]) == 10
    assert len(client.get(f"{MEMBERS}?q=reza").get_json()["members"]) == 10


def test_a_too_long_query_is_a_translated_400_not_a_search(team, app):
    client = client_for(app, team.member)
    for url in (LINKABLES, MEMBERS):
        response = client.get(f"{url}?q={'a' * 61}", headers={"Accept-Language": "de"})
        assert response.status_code == 400
        assert response.get_json()["error"] == "Geben Sie zum Suchen höchstens 60 Zeichen ein."


def test_like_wildcards_in_the_query_are_plain_characters(team, app):
    _workspace_things(team)
    client = client_for(app, team.member)
    assert client.get(f"{LINKABLES}?q=%25").get_json()["targets"] == []
    assert client.get(f"{LINKABLES}?q=_").get_json()["targets"] == []


def test_the_text_areas_that_offer_the_pickers_and_what_they_insert(team, app):
    client = client_for(app, team.member)
    pages = {"discussion/new": "[[…]] and @", "chat": "markdown", "documents/new": "markdown"}
    for page in pages:
        html = client.get(f"/projects/herbarium/{page}").get_data(as_text=True)
        assert 'data-link-source="/api/v1/projects/herbarium/linkables"' in html, page
        assert "js/pickers.js" in html, page
        assert ('data-link-insert="markdown"' in html) == (pages[page] == "markdown"), page
        assert ("data-mention-source" in html) == (page == "discussion/new"), page
    hint = client.get("/projects/herbarium/discussion/new").get_data(as_text=True)
    assert "Type @ to mention someone; use Link to point to a document or file." in hint
    assert "[[file:" not in hint and "@[Full Name]" not in hint
