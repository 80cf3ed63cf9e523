"""A museum director creates a project, invites a partner with a link; the partner registers,
accepts, and both type in the same document at once (live, nothing lost), look at
the diff, and upload an image whose thumbnail appears. Every page checked with axe."""
import io
import re

import pytest
from playwright.sync_api import expect

from app.extensions import db

from ..factories import DEFAULT_PASSWORD, make_org, make_user
from .conftest import assert_accessible, sign_in


@pytest.fixture(scope="module")
def director(live_server):
    app = live_server.app()
    with app.app_context():
        user = make_user("Anna Director", "anna.journey@example.org")
        make_org("Museo Civico di Prova", members=[user])
        make_org("Pixel Partners", kind="technology")
        email = user.email
        db.session.remove()
    return email


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (180, 90, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_create_invite_accept_coedit_diff_and_upload(new_page, director):
    anna = sign_in(new_page, director, landing="**/projects/")
    expect(anna.get_by_role("heading", level=1)).to_have_text("My projects")
    assert_accessible(anna, context="empty dashboard")

    # 1. create the project through the form (the slug follows the title)
    anna.get_by_role("link", name="New project").click()
    anna.get_by_label("Title").fill("Silk looms in 3D")
    expect(anna.get_by_label("Web address")).to_have_value("silk-looms-in-3d")
    anna.get_by_label("3D digitisation").check()
    anna.get_by_label("Technologies").fill("photogrammetry, WebXR")
    anna.locator("#partners-0-organisation_id").select_option(label="Pixel Partners (IT)")
    anna.locator("#partners-0-role").fill("3D capture")
    assert_accessible(anna, context="new project form")
    anna.get_by_role("button", name="Create project").click()
    anna.wait_for_url("**/projects/silk-looms-in-3d/")
    expect(anna.get_by_role("heading", level=1)).to_have_text("Silk looms in 3D")
    expect(anna.locator(".overview-side")).to_contain_text("Pixel Partners")
    assert_accessible(anna, context="project overview")

    # 2. an invitation link for someone without an account
    anna.get_by_role("link", name="Members", exact=True).click()
    anna.get_by_label("Role for whoever uses the link").select_option("member")
    anna.get_by_role("button", name="Create invitation link").click()
    link = anna.locator("[data-invitation-url]").input_value()
    assert "/invitations/" in link
    assert_accessible(anna, context="members page with a new link")

    # 3. the partner opens it in another browser, registers, comes back and accepts
    pietro = new_page()
    pietro.goto(link)
    expect(pietro.get_by_role("heading", level=1)).to_contain_text("Silk looms in 3D")
    assert_accessible(pietro, context="invitation for a visitor")
    pietro.get_by_role("link", name="Create an account").click()
    pietro.get_by_label("Your name").fill("Pietro Partner")
    pietro.get_by_label("Email").fill("pietro.journey@example.org")
    pietro.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    pietro.get_by_label("Repeat the password").fill(DEFAULT_PASSWORD)
    pietro.get_by_role("button", name=re.compile("Create|Register")).click()
    pietro.wait_for_url(re.compile(r"/invitations/"))
    pietro.get_by_role("button", name="Accept the invitation").click()
    pietro.wait_for_url("**/projects/silk-looms-in-3d/")
    expect(pietro.locator(".flashes")).to_contain_text("Welcome to Silk looms in 3D")

    # 4. a document, then both type in it at once in the live editor
    anna.goto("/projects/silk-looms-in-3d/documents/new")
    anna.get_by_label("Title").fill("Scanning plan")
    anna.get_by_label("Text", exact=True).fill("Scope: the Jacquard loom.\n\nKeep\nthis\n\n"
                                              "Schedule: to be decided.")
    anna.get_by_role("button", name="Create").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Scanning plan")
    document_url = anna.url.split("?")[0].rstrip("/")

    anna.goto(document_url + "/edit")
    pietro.goto(document_url + "/edit")
    for person in (anna, pietro):
        expect(person.locator("form[data-coedit]")).to_have_attribute("data-coedit-state", "saved")
    type_at_line_end(anna, "Scope:", " And its cards.")
    type_at_line_end(pietro, "Schedule:", " Scans in March.")
    for person in (anna, pietro):
        wait_for_shared_text(person, "And its cards.", "Scans in March.")
    anna.get_by_label("Summary of this change").fill("Scope and schedule")
    anna.get_by_role("button", name="Save a revision").click()
    expect(anna.locator("[data-coedit-note]")).to_have_text("Saved as revision 2.")
    type_at_line_end(pietro, "Keep", " (all of it)")
    wait_for_shared_text(anna, "(all of it)")
    pietro.get_by_label("Summary of this change").fill("Keep everything")
    pietro.get_by_role("button", name="Save a revision").click()
    expect(pietro.locator("[data-coedit-note]")).to_have_text("Saved as revision 3.")

    # 5. the diff across both edits
    anna.goto(document_url + "/diff?from=1&to=3")
    expect(anna.get_by_role("heading", level=1)).to_have_text("Changes from revision 1 to 3")
    expect(anna.locator("main")).to_contain_text("Scans in March.")
    expect(anna.locator("main")).to_contain_text("And its cards.")
    assert_accessible(anna, context="diff page")

    # 6. an image upload with its thumbnail
    pietro.goto("/projects/silk-looms-in-3d/files/")
    pietro.get_by_label("File", exact=True).set_input_files(
        {"name": "loom.png", "mimeType": "image/png", "buffer": _png()})
    pietro.get_by_role("button", name="Upload", exact=True).click()
    expect(pietro.get_by_role("heading", level=1)).to_contain_text("loom.png")
    pietro.goto("/projects/silk-looms-in-3d/files/")
    thumbnail = pietro.locator("img[src*='thumbnail']").first
    expect(thumbnail).to_be_visible()
    pietro.wait_for_function("img => img.complete && img.naturalWidth > 0",
                             arg=thumbnail.element_handle())

    # 7. the activity shows it all, and Anna's dashboard counts what Pietro did
    anna.goto("/projects/silk-looms-in-3d/activity")
    expect(anna.locator(".activity-list")).to_contain_text("Pietro Partner")
    assert_accessible(anna, context="activity")
    pietro.goto("/projects/")
    expect(pietro.locator("[data-project-slug='silk-looms-in-3d']")).to_be_visible()
    assert_accessible(pietro, context="dashboard with a project")


def test_lead_edits_settings_and_moves_the_status_back_with_a_reason(new_page, live_server, director):
    from app.auth.services import find_user_by_email

    from ..factories import make_project

    with live_server.app().app_context():
        make_project(lead=find_user_by_email(director), slug="audio-walk", title="Audio walk",
                     status="completed")
        db.session.remove()
    page = sign_in(new_page, director, landing="**/projects/")
    page.goto("/projects/audio-walk/")
    page.get_by_role("link", name="Settings and status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings and status")
    assert_accessible(page, context="settings page")

    page.get_by_label("New status").select_option("active")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator(".field-error")).to_contain_text("reason")
    assert_accessible(page, context="status refused without a reason")
    page.get_by_label("New status").select_option("active")
    page.get_by_label("Reason").fill("A second season was funded.")
    page.get_by_role("button", name="Change status").click()
    page.wait_for_url("**/projects/audio-walk/")
    expect(page.locator(".flashes")).to_contain_text("Active")
    expect(page.locator(".overview-side")).to_contain_text("A second season was funded.")

    page.goto("/projects/audio-walk/settings")
    page.get_by_label("Summary").fill("Stories of the harbour, told by the people who live there.")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url("**/projects/audio-walk/")
    expect(page.locator(".summary")).to_contain_text("Stories of the harbour")


def type_at_line_end(person, line_start: str, words: str) -> None:
    """Type at the end of the live editor's line that starts with `line_start`."""
    person.locator(".cm-line", has_text=line_start).first.click()
    person.keyboard.press("End")
    person.keyboard.type(words)


def wait_for_shared_text(person, *parts: str) -> None:
    person.wait_for_function(
        "parts => { const text = document.querySelector('form[data-coedit]').coedit.ytext"
        ".toString(); return parts.every(part => text.includes(part)); }", arg=list(parts))
