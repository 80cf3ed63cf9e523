"""Revisions: every change is a revision, a no-op save is none, history, diff, restore."""
import pytest
from sqlalchemy import func, select

from app.core.errors import ValidationError
from app.documents.models import DocumentRevision
from app.extensions import db
from app.projects.models import Activity

from ..conftest import client_for
from ..factories import make_project, make_user
from .factories import edit, make_document


def _count_revisions(document) -> int:
    return db.session.execute(select(func.count()).select_from(DocumentRevision).where(
        DocumentRevision.document_id == document.id)).scalar_one()


def test_creating_a_document_makes_revision_one_with_cached_html(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead, body="# Plan\n\n**Bold** start.")
    revision = document.current_revision
    assert revision.number == 1 and revision.author_id == lead.id
    assert "<strong>Bold</strong>" in revision.html
    assert revision.body == "# Plan\n\n**Bold** start.\n"


def test_each_change_adds_a_revision_and_a_no_op_save_adds_none(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead)
    outcome = edit(document, lead, "# Plan\n\nSecond draft.\n", summary="Second draft")
    assert outcome.revision.number == 2 and outcome.revision.summary == "Second draft"
    unchanged = edit(document, lead, "# Plan\n\nSecond draft.\n")
    assert unchanged.revision is None
    # Trailing whitespace and Windows newlines alone are not a change either.
    assert edit(document, lead, "# Plan\r\n\r\nSecond draft.\r\n\r\n").revision is None
    assert _count_revisions(document) == 2


def test_a_save_records_activity(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead, title="Meeting notes")
    edit(document, lead, "changed\n")
    numbers = db.session.execute(select(DocumentRevision.number).where(
        DocumentRevision.document_id == document.id).order_by(DocumentRevision.number))
    assert numbers.scalars().all() == [1, 2]
    verbs = db.session.execute(select(Activity.verb).where(
        Activity.project_id == project.id).order_by(Activity.id)).scalars().all()
    assert verbs == ["document.created", "document.edited"]


def test_history_lists_revisions_newest_first_with_authors(app):
    lead, member = make_user("Anna Rossi"), make_user("Jonas Berg")
    project = make_project(lead=lead, members={"member": [member]})
    document = make_document(project, lead)
    edit(document, member, "Jonas was here\n", summary="Add Jonas")
    page = client_for(app, lead).get(f"/projects/{project.slug}/documents/{document.id}/history")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("Add Jonas") < html.index("Created")
    assert "Jonas Berg" in html and "Anna Rossi" in html


def test_history_is_paginated(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead)
    for n in range(30):
        edit(document, lead, f"version {n}\n", summary=f"step-{n:02d}")
    client = client_for(app, lead)
    first = client.get(f"/projects/{project.slug}/documents/{document.id}/history").get_data(as_text=True)
    second = client.get(f"/projects/{project.slug}/documents/{document.id}/history?page=2"
                        ).get_data(as_text=True)
    assert "step-29" in first and "step-00" not in first
    assert "step-00" in second and "step-29" not in second


def test_diff_page_shows_highlighted_changes_between_any_two_revisions(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead, body="We scan ten textiles.\nKeep this.\n")
    edit(document, lead, "We scan twelve textiles.\nKeep this.\n")
    edit(document, lead, "We scan twelve textiles.\nKeep this.\nAnd a new line <b>.\n")
    client = client_for(app, lead)
    url = f"/projects/{project.slug}/documents/{document.id}/diff"
    html = client.get(f"{url}?from=1&to=3").get_data(as_text=True)
    assert "<del>ten</del>" in html and "<ins>twelve</ins>" in html
    assert "And a new line &lt;b&gt;." in html
    default = client.get(url).get_data(as_text=True)  # previous against current
    assert "<del>ten</del>" not in default and "And a new line" in default
    assert client.get(f"{url}?from=1&to=9").status_code == 404
    assert client.get(f"{url}?from=abc").status_code == 400


def test_old_revision_can_be_read_and_restored_as_a_new_revision(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead, body="original text\n")
    edit(document, lead, "vandalised\n")
    client = client_for(app, lead)
    base = f"/projects/{project.slug}/documents/{document.id}"
    old = client.get(f"{base}/revisions/1")
    assert old.status_code == 200 and "original text" in old.get_data(as_text=True)
    response = client.post(f"{base}/revisions/1/restore")
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.revision_number == 3
    assert document.body == "original text\n"
    assert document.current_revision.summary == "Restored revision 1"
    # Restoring what is already current changes nothing.
    client.post(f"{base}/revisions/3/restore")
    assert _count_revisions(document) == 3
    assert client.get(f"{base}/revisions/99").status_code == 404


def test_edit_page_submits_the_base_revision(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead)
    edit(document, lead, "two\n")
    html = client_for(app, lead).get(f"/projects/{project.slug}/documents/{document.id}/edit"
                                     ).get_data(as_text=True)
    assert 'name="base_revision" type="hidden" value="2"' in html


def test_saving_through_the_form(app):
    lead = make_user()
    project = make_project(lead=lead)
    client = client_for(app, lead)
    response = client.post(f"/projects/{project.slug}/documents/new", data={
        "title": "Technical documentation", "body": "## Pipeline\n\nPhotogrammetry.",
        "parent": "", "summary": ""})
    assert response.status_code == 302
    doc_url = response.headers["Location"]
    response = client.post(f"{doc_url}/edit", data={
        "title": "Technical documentation", "body": "## Pipeline\n\nStructured light.",
        "summary": "Switch scanner", "base_revision": "1"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Saved as revision 2." in html and "Structured light." in html


def test_an_empty_title_keeps_the_typed_text(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead)
    response = client_for(app, lead).post(
        f"/projects/{project.slug}/documents/{document.id}/edit",
        data={"title": "", "body": "precious words", "base_revision": "1"})
    assert response.status_code == 400
    assert "precious words" in response.get_data(as_text=True)


def test_headings_in_the_text_sit_below_the_page_title(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead, body="# Plan\n\n## Scope\n\n###### Tiny\n")
    html = document.current_revision.html
    assert "<h1>" not in html
    assert "<h2>Plan</h2>" in html and "<h3>Scope</h3>" in html and "<h6>Tiny</h6>" in html


def test_control_characters_are_refused_in_titles_bodies_and_summaries(app):
    lead = make_user()
    project = make_project(lead=lead)
    with pytest.raises(ValidationError) as refused:
        make_document(project, lead, title="Plan\x00 2026\x07", body="a\tb\n")
    assert refused.value.field == "title"
    document = make_document(project, lead, title="Plan 2026", body="a\tb\n")
    for change in ({"body": "changed\x1b\n"}, {"body": "ok\n", "summary": "why\x00"}):
        with pytest.raises(ValidationError):
            edit(document, lead, **change)
    db.session.rollback()
    assert document.current_revision.body == "a\tb\n"
    assert db.session.get(DocumentRevision, document.current_revision_id).number == 1
