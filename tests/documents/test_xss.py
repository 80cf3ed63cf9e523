"""Hostile titles and bodies are shown as text or sanitized, on every page that shows them."""
from ..conftest import client_for
from ..factories import make_project, make_user
from .factories import edit, make_document

TITLE = '<script>alert("t")</script><img src=x onerror=alert(1)>'
BODY = ('Hello <script>alert("b")</script>\n\n<img src=x onerror="alert(2)">\n\n'
        '[click](javascript:alert(3)) and [site](https://example.org)\n')


def test_hostile_titles_and_bodies_are_inert_everywhere(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead, title=TITLE, body=BODY)
    edit(document, lead, BODY + "\nmore <svg onload=alert(4)>\n", summary='<b onclick="x">s</b>')
    client = client_for(app, lead)
    base = f"/projects/{project.slug}/documents"
    for path in ("/", f"/{document.id}", f"/{document.id}/history", f"/{document.id}/diff",
                 f"/{document.id}/revisions/1", f"/{document.id}/edit", f"/{document.id}/manage"):
        html = client.get(base + path).get_data(as_text=True)
        assert "<script>alert" not in html, path
        assert "onerror=" not in html.replace("onerror=alert(1)&gt;", "").replace(
            'onerror="alert(2)"&gt;', "").replace("onerror=&#34;alert(2)&#34;", ""), path
        assert "<svg" not in html and 'href="javascript:' not in html, path
        assert '<b onclick' not in html, path
    view = client.get(f"{base}/{document.id}").get_data(as_text=True)
    assert 'rel="nofollow ugc noopener"' in view


def test_hostile_api_bodies_come_back_as_json_strings(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead, title=TITLE, body=BODY)
    data = client_for(app, lead).get(f"/api/v1/projects/{project.slug}/documents/{document.id}"
                                     ).get_json()
    assert data["title"] == " ".join(TITLE.split())
    assert "<script" not in data["html"] and "<img" not in data["html"]
    assert "&lt;script&gt;" in data["html"]  # shown as text
