"""Two people edit the same document in real browsers: one in the live editor, one in the plain
form of a browser without JavaScript, whose save reaches the live editor at once; then the
history is compared, an old revision restored, the document moved, deleted and brought back by
the lead. Every page is checked with axe."""

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


def test_live_and_plain_edits_compare_restore_move_delete(browser, live_server, new_page, team):
    anna = sign_in(new_page, team["lead"])
    base = f"/projects/{team['slug']}/documents"
    doc = f"{base}/{team['doc']}"

    anna.goto(base + "/")
    expect(anna.get_by_role("heading", level=1)).to_have_text("Documents")
    assert_accessible(anna, context="document tree")

    # Anna edits live; Jonas, without JavaScript, saves the plain form: his change reaches her
    # editor as she types, no conflict page.
    anna.goto(doc + "/edit")
    expect(anna.locator("form[data-coedit]")).to_have_attribute("data-coedit-state", "saved")
    assert_accessible(anna, context="editor")
    plain = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    try:
        jonas = sign_in(plain.new_page, team["member"])
        jonas.goto(doc + "/edit")
        jonas_body = jonas.get_by_label("Text", exact=True)
        jonas_body.fill(jonas_body.input_value().replace("18 000 EUR", "16 500 EUR"))
        jonas.get_by_label("Summary of this change").fill("Budget cut")
        jonas.get_by_role("button", name="Save").click()
        expect(jonas.locator(".flashes")).to_contain_text("Saved as revision 2")
        expect(jonas.locator("article")).to_contain_text("16 500 EUR")
    finally:
        plain.close()
    anna.wait_for_function(
        "() => document.querySelector('form[data-coedit]').coedit.ytext.toString()"
        ".includes('16 500 EUR')")

    anna.locator(".cm-line", has_text="Method:").click()
    anna.keyboard.press("End")
    anna.keyboard.type(" With a turntable.")
    anna.get_by_role("button", name="Preview").click()
    expect(anna.locator("[data-preview-body] h2")).to_have_text("Scanning plan")
    expect(anna.locator("[data-preview-body]")).to_contain_text("With a turntable.")
    anna.get_by_label("Summary of this change").fill("Method detail")
    anna.get_by_role("button", name="Save a revision").click()
    expect(anna.locator("[data-coedit-note]")).to_have_text("Saved as revision 3.")

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
    jonas = sign_in(new_page, team["member"])
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


def test_the_link_button_of_a_new_document_inserts_a_markdown_link(new_page, team):
    jonas = sign_in(new_page, team["member"])
    jonas.goto(f"/projects/{team['slug']}/documents/new")
    body = jonas.get_by_label("Text", exact=True)
    body.fill("See ")
    link_button = jonas.get_by_role("button", name="Link", exact=True)
    link_button.click()
    body.press_sequentially("scan")
    expect(jonas.get_by_role("option", name="Scanning plan document")).to_have_attribute(
        "aria-selected", "true")
    assert_accessible(jonas, context="new document with the link list open")
    body.press("Enter")
    expect(body).to_have_value(f"See [Scanning plan](/projects/{team['slug']}/documents/{team['doc']}) ")
    expect(link_button).to_have_attribute("aria-expanded", "false")
