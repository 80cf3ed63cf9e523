"""The document tree: sub-pages, folders, moving (no cycles), renaming, soft delete, restore."""
import pytest

from app.core.errors import PermissionDenied, ValidationError
from app.documents import queries, services
from app.extensions import db

from ..conftest import client_for
from ..factories import make_project, make_user
from .factories import make_document


@pytest.fixture
def tree(app):
    """lead, member, project and: Meetings (folder) > Kick-off > Agenda; Plan."""
    lead, member = make_user("Lea Lead"), make_user("Max Member")
    project = make_project(lead=lead, members={"member": [member]})
    meetings = make_document(project, lead, title="Meetings", body="", is_folder=True)
    kickoff = make_document(project, lead, title="Kick-off", parent=meetings)
    agenda = make_document(project, member, title="Agenda", parent=kickoff)
    plan = make_document(project, lead, title="Plan")
    return lead, member, project, {"meetings": meetings, "kickoff": kickoff,
                                   "agenda": agenda, "plan": plan}


def test_the_list_shows_the_tree_indented(app, tree):
    lead, _, project, docs = tree
    assert [(d.title, depth) for d, depth in queries.document_tree(project)] == [
        ("Meetings", 0), ("Kick-off", 1), ("Agenda", 2), ("Plan", 0)]
    html = client_for(app, lead).get(f"/projects/{project.slug}/documents/").get_data(as_text=True)
    assert 'class="doc-depth-2' in html and "doc-folder" in html
    assert html.index("Meetings") < html.index("Kick-off") < html.index("Agenda") < html.index("Plan")


def test_a_new_page_can_be_created_inside_another(app, tree):
    lead, _, project, docs = tree
    client = client_for(app, lead)
    form = client.get(f"/projects/{project.slug}/documents/new?parent={docs['meetings'].id}")
    assert f'<option selected value="{docs["meetings"].id}">' in form.get_data(as_text=True)
    response = client.post(f"/projects/{project.slug}/documents/new", data={
        "title": "Second meeting", "parent": str(docs["meetings"].id), "body": "Notes"})
    assert response.status_code == 302
    titles = [(d.title, depth) for d, depth in queries.document_tree(project)]
    assert ("Second meeting", 1) in titles


def test_moving_a_page_under_another(app, tree):
    _, member, project, docs = tree
    client = client_for(app, member)
    response = client.post(f"/projects/{project.slug}/documents/{docs['plan'].id}/move",
                           data={"parent": str(docs["meetings"].id)})
    assert response.status_code == 302
    db.session.refresh(docs["plan"])
    assert docs["plan"].parent_id == docs["meetings"].id
    client.post(f"/projects/{project.slug}/documents/{docs['plan'].id}/move", data={"parent": ""})
    db.session.refresh(docs["plan"])
    assert docs["plan"].parent_id is None


@pytest.mark.parametrize("target", ["meetings", "kickoff", "agenda"])
def test_moving_a_page_inside_itself_or_its_descendants_is_refused(app, tree, target):
    _, member, project, docs = tree
    response = client_for(app, member).post(
        f"/projects/{project.slug}/documents/{docs['meetings'].id}/move",
        data={"parent": str(docs[target].id)})
    assert response.status_code == 400
    assert "cannot be moved inside itself" in response.get_data(as_text=True)
    db.session.refresh(docs["meetings"])
    assert docs["meetings"].parent_id is None


def test_moving_under_a_page_of_another_project_is_refused(app, tree):
    lead, member, project, docs = tree
    other = make_project(lead=lead)
    foreign = make_document(other, lead, title="Foreign")
    with pytest.raises(ValidationError):
        services.move_document(member, docs["plan"], foreign.id)


def test_the_move_form_does_not_offer_the_page_or_its_descendants(app, tree):
    _, member, project, docs = tree
    html = client_for(app, member).get(
        f"/projects/{project.slug}/documents/{docs['kickoff'].id}/manage").get_data(as_text=True)
    assert f'value="{docs["meetings"].id}"' in html
    assert f'value="{docs["agenda"].id}"' not in html
    assert f'value="{docs["kickoff"].id}"' not in html


def test_renaming_makes_a_revision_with_the_new_title(app, tree):
    _, member, project, docs = tree
    response = client_for(app, member).post(
        f"/projects/{project.slug}/documents/{docs['plan'].id}/rename",
        data={"title": "Project plan 2026"})
    assert response.status_code == 302
    db.session.refresh(docs["plan"])
    assert docs["plan"].title == "Project plan 2026"
    assert docs["plan"].revision_number == 2
    assert docs["plan"].current_revision.summary == "Renamed from “Plan”"


def test_a_member_deletes_softly_and_only_a_lead_restores(app, tree):
    lead, member, project, docs = tree
    member_client, lead_client = client_for(app, member), client_for(app, lead)
    base = f"/projects/{project.slug}/documents"
    assert member_client.post(f"{base}/{docs['kickoff'].id}/delete").status_code == 302
    # The page and its sub-page are gone from the tree and their URLs, but kept in the database.
    assert [d.title for d, _ in queries.document_tree(project)] == ["Meetings", "Plan"]
    assert member_client.get(f"{base}/{docs['agenda'].id}").status_code == 404
    db.session.refresh(docs["agenda"])
    assert docs["agenda"].deleted_by_id == member.id
    # Members can neither see the deleted list nor restore.
    assert member_client.get(f"{base}/deleted").status_code == 403
    assert member_client.post(f"{base}/{docs['kickoff'].id}/restore").status_code == 403
    deleted_page = lead_client.get(f"{base}/deleted").get_data(as_text=True)
    assert "Kick-off" in deleted_page and "Max Member" in deleted_page
    assert lead_client.post(f"{base}/{docs['kickoff'].id}/restore").status_code == 302
    assert [(d.title, depth) for d, depth in queries.document_tree(project)] == [
        ("Meetings", 0), ("Kick-off", 1), ("Agenda", 2), ("Plan", 0)]
    assert docs["kickoff"].revision_number == 1  # history intact


def test_restoring_a_page_whose_parent_is_still_deleted_puts_it_at_the_top(app, tree):
    lead, member, project, docs = tree
    services.delete_document(member, docs["agenda"])
    services.delete_document(member, docs["meetings"])
    services.restore_document(lead, docs["agenda"])
    assert [(d.title, depth) for d, depth in queries.document_tree(project)] == [
        ("Plan", 0), ("Agenda", 0)]


def test_a_member_cannot_restore_through_the_service_either(app, tree):
    _, member, _, docs = tree
    services.delete_document(member, docs["plan"])
    with pytest.raises(PermissionDenied):
        services.restore_document(member, docs["plan"])


def test_a_deleted_document_cannot_be_edited(app, tree):
    _, member, project, docs = tree
    services.delete_document(member, docs["plan"])
    response = client_for(app, member).post(
        f"/projects/{project.slug}/documents/{docs['plan'].id}/edit",
        data={"title": "Plan", "body": "x", "base_revision": "1"})
    assert response.status_code == 404


def test_structure_changes_are_in_the_activity_feed(app, tree):
    from sqlalchemy import select

    from app.projects.models import Activity

    lead, member, project, docs = tree
    services.move_document(member, docs["plan"], docs["meetings"].id)
    services.rename_document(member, docs["plan"], "Plan 2026")
    services.delete_document(member, docs["plan"])
    services.restore_document(lead, docs["plan"])
    verbs = db.session.execute(select(Activity.verb).where(
        Activity.target_id == docs["plan"].id).order_by(Activity.id)).scalars().all()
    assert verbs[-4:] == ["document.moved", "document.renamed", "document.deleted",
                          "document.undeleted"]


def test_renaming_to_an_empty_title_is_refused_and_changes_nothing(app, tree):
    _, member, project, docs = tree
    response = client_for(app, member).post(
        f"/projects/{project.slug}/documents/{docs['plan'].id}/rename", data={"title": "   "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="title-error"' in page and 'aria-invalid="true"' in page
    db.session.refresh(docs["plan"])
    assert docs["plan"].title == "Plan" and docs["plan"].revision_number == 1
