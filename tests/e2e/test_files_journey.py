"""A member uploads an image and a PDF in a real browser, sees the thumbnail and the extracted
text, uploads a new version, and a disguised HTML file is refused with a message by the field."""
import pytest
from playwright.sync_api import expect

from app.extensions import db

from ..factories import make_project, make_user
from ..files import samples
from .conftest import assert_accessible, sign_in


@pytest.fixture(scope="module")
def files_team(live_server):
    app = live_server.app()
    with app.app_context():
        member = make_user("Maria Member", "maria.files@example.org")
        lead = make_user("Luca Lead", "luca.files@example.org")
        project = make_project(lead=lead, members={"member": [member]}, title="Textile scans")
        team = {"member": member.email, "slug": project.slug}
        db.session.remove()
    return team


def choose(page, label, name, mime, data):
    page.get_by_label(label, exact=True).set_input_files(
        {"name": name, "mimeType": mime, "buffer": data})


def test_upload_image_see_thumbnail_new_version_and_refusals(new_page, files_team):
    page = sign_in(new_page, files_team["member"])
    page.goto(f"/projects/{files_team['slug']}/files/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Files")
    assert_accessible(page, context="empty files list")

    choose(page, "File", "cute-cat.png", "image/png", samples.HTML)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("HTML")
    expect(page.get_by_label("File", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, context="refused upload")

    choose(page, "File", "textile scan.png", "image/png", samples.png(800, 500))
    page.get_by_label("Description (optional)").fill("Raking light, front")
    # with JavaScript the form goes to the JSON API, showing progress
    with page.expect_response(lambda r: r.request.method == "POST" and "/api/v1/" in r.url) as sent:
        page.get_by_role("button", name="Upload", exact=True).click()
    assert sent.value.status == 201
    expect(page.get_by_role("heading", level=1)).to_contain_text("textile scan.png")
    preview = page.locator(".file-preview img")
    expect(preview).to_be_visible()
    # visible is not loaded: wait for the image itself before reading its size
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=preview.element_handle())
    assert page.evaluate("el => el.naturalWidth", preview.element_handle()) == 800
    assert_accessible(page, context="file page")

    choose(page, "New version", "textile scan v2.png", "image/png", samples.png(400, 250))
    page.get_by_role("button", name="Upload version").click()
    expect(page.locator(".files-table tbody tr")).to_have_count(2)
    expect(page.locator(".file-facts")).to_contain_text("400 × 250")

    page.goto(f"/projects/{files_team['slug']}/files/")
    thumbnail = page.locator(".files-thumb img").first
    expect(thumbnail).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=thumbnail.element_handle())
    assert page.evaluate("img => img.naturalWidth", thumbnail.element_handle()) == 320

    choose(page, "File", "report.pdf", "application/pdf", samples.pdf("Loom survey 2026"))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_text("Text found in the PDF").click()
    expect(page.locator(".file-text pre")).to_contain_text("Loom survey 2026")
    assert_accessible(page, context="files list with files")
