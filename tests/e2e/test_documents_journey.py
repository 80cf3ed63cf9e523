"""Two people edit the same document in real browsers: the overlapping save lands on the conflict
page with nothing lost, is resolved, compared in the history, restored, moved, deleted and
brought back by the lead. Every page is checked with axe."""
import re

import pytest
from playwright.sync_api import expect

from app.documents import services
from app.extensions import db

from ..factories import make_project, make_user
from .conftest import assert_accessible, sign_in

PLAN = ("# Scanning plan\n\nScope: the lace collection.\n\nMethod: photogrammetry.\n\n"
        "Budget: 18 000 EUR.\n")


@pytest.fixture(scope="module")
def team(live_server):
    app = live_server.app()
    with app.app_context():
        lead = make_user("Anna Archivist", "anna.docs@example.org")
        member = make_user("Jonas Joiner", "jonas.docs@example.org")
        project = make_project(lead=lead, members={"member": [member]}, title="Lace in 3D")
        folder = services.create_document(lead, project, title="Meetings", is_folder=True)
        document = services.create_document(lead, project, title="Scanning plan", body=PLAN)
        data = {"lead": lead.email, "member": member.email, "slug": project.slug,
                "doc": document.id, "folder": folder.id}
        db.session.remove()
    return data


def test_conflict_resolve_compare_restore_move_delete(new_page, team):
    anna = sign_in(new_page, team["lead"])
    jonas = sign_in(new_page, team["member"])
    base = f"/projects/{team['slug']}/documents"
    doc = f"{base}/{team['doc']}"

    anna.goto(base + "/")
    expect(anna.get_by_role("heading", level=1)).to_have_text("Documents")
    assert_accessible(anna, context="document tree")

    # Both start from revision 1 and change the same line.
    anna.goto(doc + "/edit")
    jonas.goto(doc + "/edit")
    assert_accessible(anna, context="editor")
    anna_body = anna.get_by_label("Text (Markdown)")
    anna_body.fill(anna_body.input_value().replace("18 000 EUR", "20 000 EUR"))
    anna.get_by_role("button", name="Save").click()
    expect(anna.locator(".flashes")).to_contain_text("Saved as revision 2")

    jonas_body = jonas.get_by_label("Text (Markdown)")
    jonas_body.fill(jonas_body.input_value().replace("18 000 EUR", "16 500 EUR after the cut"))
    jonas.get_by_label("Summary of this change").fill("Budget cut")
    jonas.get_by_role("button", name="Save").click()
    expect(jonas.get_by_role("heading", level=1)).to_contain_text("Edit conflict")
    expect(jonas.locator("[data-mine-text]")).to_have_value(re.compile("16 500 EUR after the cut"))
    expect(jonas.locator("#their-text")).to_have_value(re.compile("20 000 EUR"))
    expect(jonas.get_by_label("Text (Markdown)")).to_have_value(re.compile("<<<<<<<"))
    assert_accessible(jonas, context="conflict page")

    # Jonas takes his own text back into the editor, merges both figures by hand and saves.
    jonas.get_by_role("button", name="Use my version in the editor").click()
    editor = jonas.get_by_label("Text (Markdown)")
    expect(editor).not_to_have_value(re.compile("<<<<<<<"))
    editor.fill(editor.input_value().replace("16 500 EUR after the cut",
                                             "20 000 EUR, of which 16 500 EUR for scanning"))
    jonas.get_by_role("button", name="Preview").click()
    expect(jonas.locator("[data-preview-body] h2")).to_have_text("Scanning plan")
    jonas.get_by_role("button", name="Save the resolved text").click()
    expect(jonas.locator(".flashes")).to_contain_text("Saved as revision 3")
    expect(jonas.locator("article")).to_contain_text("of which 16 500 EUR for scanning")

    # The history compares any two revisions.
    anna.goto(doc + "/history")
    expect(anna.locator(".doc-history tbody tr")).to_have_count(3)
    assert_accessible(anna, context="history")
    anna.get_by_label("Compare from revision 1").check()
    anna.get_by_label("Compare to revision 3").check()
    anna.get_by_role("button", name="Compare selected revisions").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Changes from revision 1 to 3")
    expect(anna.locator(".diff-added ins").first).to_be_visible()
    expect(anna.locator(".diff-removed del").first).to_contain_text("18")
    assert_accessible(anna, context="diff")

    # An old revision is restored as a new revision (after a confirmation).
    anna.goto(doc + "/revisions/1")
    assert_accessible(anna, context="old revision")
    anna.once("dialog", lambda dialog: dialog.accept())
    anna.get_by_role("button", name="Restore this revision").click()
    expect(anna.locator(".flashes")).to_contain_text("Revision 1 restored as revision 4")
    expect(anna.locator("article")).to_contain_text("18 000 EUR")

    # Jonas moves it into the folder, then deletes it; only Anna can bring it back.
    jonas.goto(doc + "/manage")
    assert_accessible(jonas, context="manage")
    jonas.get_by_label("Move inside").select_option(label="Meetings")
    jonas.get_by_role("button", name="Move", exact=True).click()
    expect(jonas.locator(".breadcrumbs")).to_contain_text("Meetings")
    jonas.goto(doc + "/manage")
    jonas.once("dialog", lambda dialog: dialog.accept())
    jonas.get_by_role("button", name="Delete document").click()
    expect(jonas.locator(".flashes")).to_contain_text("was deleted")
    expect(jonas.get_by_role("link", name="Deleted documents")).to_have_count(0)

    anna.goto(base + "/deleted")
    assert_accessible(anna, context="deleted documents")
    anna.get_by_role("button", name="Restore “Scanning plan”").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Scanning plan")
    expect(anna.locator(".breadcrumbs")).to_contain_text("Meetings")
