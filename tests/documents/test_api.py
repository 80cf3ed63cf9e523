"""The documents JSON API: list, read, save (merged into the shared state), revisions."""
from app.extensions import db

from ..conftest import client_for
from ..factories import make_project, make_user
from .factories import edit, make_document


def _setup(app):
    lead, member = make_user("Anna"), make_user("Jonas")
    project = make_project(lead=lead, members={"member": [member]})
    document = make_document(project, lead, title="Plan", body="a\nb\nc\n")
    return project, document, client_for(app, lead), client_for(app, member)


def test_list_and_read(app):
    project, document, lead, _ = _setup(app)
    make_document(project, document.project.members[0].user, title="Child", parent=document)
    listing = lead.get(f"/api/v1/projects/{project.slug}/documents").get_json()
    assert [(d["title"], d["depth"]) for d in listing["documents"]] == [("Plan", 0), ("Child", 1)]
    data = lead.get(f"/api/v1/projects/{project.slug}/documents/{document.id}").get_json()
    assert data["body"] == "a\nb\nc\n" and data["revision"] == 1 and data["title"] == "Plan"


def test_put_saves_merges_and_reports_unchanged(app):
    project, document, lead, member = _setup(app)
    url = f"/api/v1/projects/{project.slug}/documents/{document.id}"
    saved = lead.put(url, json={"body": "A\nb\nc\n", "base_revision": 1, "summary": "caps"})
    assert saved.status_code == 200
    assert saved.get_json()["status"] == "saved" and saved.get_json()["revision"] == 2
    merged = member.put(url, json={"body": "a\nb\nC\n", "base_revision": 1})
    assert merged.status_code == 200
    assert merged.get_json()["status"] == "merged"
    assert merged.get_json()["body"] == "A\nb\nC\n"
    same = member.put(url, json={"body": "A\nb\nC\n", "base_revision": 3})
    assert same.get_json()["status"] == "unchanged" and same.get_json()["revision"] == 3


def test_put_overlapping_another_save_keeps_both_versions(app):
    project, document, lead, member = _setup(app)
    url = f"/api/v1/projects/{project.slug}/documents/{document.id}"
    lead.put(url, json={"body": "a\nB by lead\nc\n", "base_revision": 1})
    response = member.put(url, json={"body": "a\nB by member\nc\n", "base_revision": 1})
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "merged" and data["revision"] == 3
    assert data["body"] == "a\nB by lead\nB by member\nc\n"


def test_put_refuses_bad_input_with_json_errors(app):
    project, document, lead, _ = _setup(app)
    url = f"/api/v1/projects/{project.slug}/documents/{document.id}"
    for payload in ([1, 2], {"body": "x"}, {"body": "x", "base_revision": "one"},
                    {"body": 5, "base_revision": 1}, {"body": "x", "base_revision": 99}):
        response = lead.put(url, json=payload)
        assert response.status_code == 400, payload
        assert "error" in response.get_json()
    assert lead.put(url, data="not json").status_code == 400
    assert lead.put(url, json={"body": "x" * 500_001, "base_revision": 1}).status_code == 413


def test_revisions_are_paginated_newest_first(app):
    project, document, lead, _ = _setup(app)
    author = document.project.members[0].user
    for n in range(4):
        edit(document, author, f"v{n}\n", summary=f"s{n}")
    data = lead.get(f"/api/v1/projects/{project.slug}/documents/{document.id}/revisions"
                    "?per_page=2").get_json()
    assert [r["number"] for r in data["revisions"]] == [5, 4]
    assert data["total"] == 5 and data["pages"] == 3
    assert data["revisions"][0]["author"] == "Anna"


def test_the_put_needs_a_csrf_token_when_csrf_is_on(app):
    project, document, lead, _ = _setup(app)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = lead.put(f"/api/v1/projects/{project.slug}/documents/{document.id}",
                            json={"body": "x", "base_revision": 1})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert document.revision_number == 1


def test_preview_renders_with_the_one_renderer_and_saves_nothing(app):
    project, document, lead, _ = _setup(app)
    response = lead.post(f"/api/v1/projects/{project.slug}/documents/preview",
                         json={"body": "# Draft\n\n<script>x</script> **bold**"})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<h2>Draft</h2>" in html and "<strong>bold</strong>" in html and "<script" not in html
    assert lead.post(f"/api/v1/projects/{project.slug}/documents/preview", data="x"
                     ).status_code == 400
    db.session.refresh(document)
    assert document.revision_number == 1
