"""Two people in one workspace: one mentions the other in a reply (picked from the @mention
list), the other sees the notification count change live, follows it to the post."""
import re

import pytest
from playwright.sync_api import expect

from app.discussion import services
from app.documents.services import create_document
from app.extensions import db

from ..factories import make_project, make_user
from .conftest import assert_accessible, sign_in


@pytest.fixture(scope="module")
def discussion_team(live_server):
    app = live_server.app()
    with app.app_context():
        lucia = make_user("Lucia Rossi", "lucia.discussion@example.org")
        anna = make_user("Anna Bianchi", "anna.discussion@example.org")
        project = make_project(lead=lucia, members={"member": [anna]}, title="Digital herbarium")
        thread = services.create_thread(lucia, project, "Which scanner do we buy?",
                                        "We have two offers. Thoughts?", "decision")
        services.load_thread_view(thread, anna)  # Anna has read it: the board starts quiet
        create_document(lucia, project, title="Scanner comparison", body="Two offers.")
        team = {"lucia": lucia.email, "anna": anna.email, "slug": project.slug,
                "thread": f"/projects/{project.slug}/discussion/{thread.id}"}
        db.session.remove()
    return team


def test_a_mention_arrives_live_and_leads_to_the_post(new_page, discussion_team):
    anna = sign_in(new_page, discussion_team["anna"])
    anna.goto("/notifications/")
    badge_link = anna.locator("a.notif-link")
    expect(badge_link).to_have_attribute("data-live", "connected")
    expect(anna.locator("#notification-count")).to_have_text("1")  # the new thread
    anna.get_by_role("button", name="Mark all read", exact=True).click()
    expect(anna.locator("#notification-count")).to_be_hidden()
    expect(badge_link).to_have_attribute("data-live", "connected")
    assert_accessible(anna, context="notifications page")

    lucia = sign_in(new_page, discussion_team["lucia"])
    lucia.goto(discussion_team["thread"])
    lucia.get_by_role("link", name=re.compile(r"^Reply to Lucia Rossi")).first.click()
    editor = lucia.get_by_label("Your reply")
    expect(editor).to_be_focused()
    editor.press_sequentially("Agreed. @Ann")
    option = lucia.get_by_role("option", name="Anna Bianchi")
    expect(option).to_be_visible()
    expect(option).to_have_attribute("aria-selected", "true")
    assert_accessible(lucia, context="thread page with the mention list open")
    editor.press("Enter")
    expect(editor).to_have_value("Agreed. @[Anna Bianchi] ")
    editor.press_sequentially("can you ask for a demo?")
    lucia.get_by_role("button", name="Post reply").click()
    lucia.wait_for_url(re.compile(r"#post-\d+$"))
    mention = lucia.locator("article.post a[href^='/users/']", has_text="@Anna Bianchi")
    expect(mention).to_be_visible()
    assert_accessible(lucia, context="thread page")

    # Anna did not reload: the badge and the list update, and a live region announces it.
    expect(anna.locator("#notification-count")).to_have_text("1")
    expect(anna.locator("#notification-live")).to_contain_text("Lucia Rossi mentioned you")
    live_item = anna.locator("[data-notification-list] li.is-live a")
    expect(live_item).to_have_text("Lucia Rossi mentioned you in “Which scanner do we buy?”")
    live_item.click()
    anna.wait_for_url(re.compile(r"/discussion/\d+#post-\d+$"))
    post_id = anna.url.rsplit("#", 1)[1]
    target = anna.locator(f"article#{post_id}")
    expect(target).to_contain_text("can you ask for a demo?")
    expect(target.locator(".tag-new")).to_be_visible()
    expect(anna.locator("#notification-count")).to_be_hidden()
    assert_accessible(anna, context="thread page (reader)")


def test_the_link_button_picks_a_document_with_the_keyboard(new_page, discussion_team):
    lucia = sign_in(new_page, discussion_team["lucia"])
    lucia.goto(discussion_team["thread"])
    editor = lucia.get_by_label("Your reply")
    editor.fill("The figures are in ")
    link_button = lucia.get_by_role("button", name="Link", exact=True)
    link_button.click()
    expect(editor).to_be_focused()
    editor.press_sequentially("scan")
    option = lucia.get_by_role("option", name=re.compile(r"^Scanner comparison"))
    expect(option).to_have_attribute("aria-selected", "true")
    expect(link_button).to_have_attribute("aria-expanded", "true")
    assert_accessible(lucia, context="thread page with the link list open")
    editor.press("ArrowDown")  # one result: the highlight wraps around to it
    expect(option).to_have_attribute("aria-selected", "true")
    editor.press("Tab")
    expect(editor).to_have_value("The figures are in [[Scanner comparison]] ")
    expect(link_button).to_have_attribute("aria-expanded", "false")
    lucia.get_by_role("button", name="Post reply").click()
    lucia.wait_for_url(re.compile(r"#post-\d+$"))
    expect(lucia.locator("article.post a[href*='/documents/']",
                         has_text="Scanner comparison")).to_be_visible()


def test_board_new_thread_and_preferences_pages_are_accessible(new_page, discussion_team):
    lucia = sign_in(new_page, discussion_team["lucia"])
    lucia.goto(f"/projects/{discussion_team['slug']}/discussion/")
    expect(lucia.get_by_role("heading", level=1)).to_have_text("Discussion")
    assert_accessible(lucia, context="thread list")
    lucia.get_by_role("link", name="New thread").click()
    lucia.get_by_label("Title").fill("Opening hours for the launch")
    lucia.get_by_label("Category").select_option("meeting")
    lucia.get_by_label("Message").fill("Shall we open late on launch day?")
    assert_accessible(lucia, context="new thread form")
    lucia.get_by_role("button", name="Start thread").click()
    expect(lucia.get_by_role("heading", level=1)).to_have_text("Opening hours for the launch")
    lucia.goto("/notifications/preferences")
    assert_accessible(lucia, context="notification preferences")
