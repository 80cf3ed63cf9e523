"""Two people chat in a workspace in two browsers; one drops offline, comes back and catches up."""
import re

import pytest
from playwright.sync_api import expect

from app.documents.services import create_document
from app.extensions import db

from ..factories import make_project, make_user
from .conftest import assert_accessible, sign_in


@pytest.fixture(scope="module")
def chat_team(live_server):
    app = live_server.app()
    with app.app_context():
        anna = make_user("Anna Archivist", "anna.chat@example.org")
        tomas = make_user("Tomas Technologist", "tomas.chat@example.org")
        project = make_project(lead=anna, members={"member": [tomas]}, title="Virtual gallery")
        create_document(anna, project, title="Gallery plan", body="Rooms and lights.")
        team = {"anna": anna.email, "tomas": tomas.email, "slug": project.slug}
        db.session.remove()
    return team


def open_chat(new_page, email, slug):
    page = sign_in(new_page, email)
    page.goto(f"/projects/{slug}/chat")
    expect(page.locator("[data-chat]")).to_have_attribute("data-state", "connected")
    return page


def send(page, text):
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_label("Message", exact=True).press("Enter")


def test_two_people_chat_see_typing_and_catch_up_after_going_offline(new_page, chat_team):
    anna = open_chat(new_page, chat_team["anna"], chat_team["slug"])
    tomas = open_chat(new_page, chat_team["tomas"], chat_team["slug"])
    expect(anna.locator("[data-chat-presence] li")).to_have_count(2)
    empty = anna.locator("[data-chat-empty]")
    expect(empty).to_contain_text("Write the first one in the message box below.")
    empty.get_by_role("link", name="Go to the message box").click()
    expect(anna.get_by_label("Message", exact=True)).to_be_focused()

    send(anna, "Hello **Tomas**, the scans are in.")
    expect(empty).to_be_hidden()
    expect(tomas.locator(".chat-message strong")).to_have_text("Tomas")
    expect(anna.locator(".chat-message.mine")).to_have_count(1)
    expect(tomas.locator("[data-chat-announce]")).to_contain_text("Anna Archivist")
    expect(tomas.locator(".chat-day")).to_have_count(1)

    tomas.get_by_label("Message", exact=True).press_sequentially("Gre")
    expect(anna.locator("[data-chat-typing]")).to_contain_text("Tomas Technologist")
    send(tomas, "Great, thanks!")
    expect(anna.locator(".chat-message .chat-body")).to_have_text(
        ["Hello Tomas, the scans are in.", "Great, thanks!"])

    tomas.context.set_offline(True)
    expect(tomas.locator("[data-chat]")).to_have_attribute("data-state", "reconnecting")
    send(anna, "Did you see the new model?")
    send(anna, "It is on the file list.")
    offline = [f"Written while offline, {n} of 4" for n in range(1, 5)]
    for text in offline:
        send(tomas, text)
    tomas.context.set_offline(False)
    expect(tomas.locator("[data-chat]")).to_have_attribute("data-state", "connected", timeout=20_000)
    # resent one at a time on re-joining, so stored in the order they were written
    expected = ["Hello Tomas, the scans are in.", "Great, thanks!", "Did you see the new model?",
                "It is on the file list.", *offline]
    expect(tomas.locator(".chat-message .chat-body")).to_have_text(expected)
    expect(anna.locator(".chat-message .chat-body")).to_have_text(expected)
    assert_accessible(tomas, context="chat room")


def test_keyboard_user_reaches_the_composer_and_edits_and_deletes_from_the_message_menu(
        new_page, chat_team):
    anna = open_chat(new_page, chat_team["anna"], chat_team["slug"])
    send(anna, "Typo hree")
    send(anna, "The model is uploaded.")
    mine = anna.locator(".chat-message.mine")
    typo, model = mine.filter(has_text="Typo"), mine.filter(has_text="The model is uploaded.")
    expect(model.locator("[data-receipt]")).to_have_text("✓✓ Delivered")
    typo = anna.locator(f'.chat-message[data-id="{typo.get_attribute("data-id")}"]')
    assert mine.locator("button:not([tabindex='-1'])").count() == 0  # no Edit/Delete tab stops

    def focused(selector):
        return anna.evaluate(f"document.activeElement.matches({selector!r})")

    # from the tab bar: the jump link is one Tab away, the composer three (list = one stop)
    last_tab = anna.locator(".workspace-tabs li:last-child a")
    last_tab.focus()
    anna.keyboard.press("Tab")
    assert focused(".chat-jump")
    anna.keyboard.press("Tab")
    assert focused(".chat-message")
    anna.keyboard.press("Tab")
    assert focused("[data-chat-input]")
    last_tab.focus()
    anna.keyboard.press("Tab")
    anna.keyboard.press("Enter")
    expect(anna.locator("[data-chat-input]")).to_be_focused()

    # back into the list, up to the first message, its menu, Edit
    anna.keyboard.press("Shift+Tab")
    expect(model).to_be_focused()
    anna.keyboard.press("ArrowUp")
    expect(typo).to_be_focused()
    anna.keyboard.press("Enter")
    expect(typo.get_by_role("menuitem", name="Edit")).to_be_focused()
    assert_accessible(anna, context="chat message menu open")
    anna.keyboard.press("Enter")
    editor = anna.get_by_label("Edit your message")
    expect(editor).to_have_value("Typo hree")
    editor.fill("Typo here")
    anna.keyboard.press("Tab")
    anna.keyboard.press("Enter")
    expect(typo.locator(".chat-body")).to_have_text("Typo here")
    expect(typo.locator(".chat-edited")).to_have_text("(edited)")
    expect(typo).to_be_focused()

    anna.once("dialog", lambda dialog: dialog.accept())
    anna.keyboard.press("Enter")
    anna.keyboard.press("ArrowDown")
    expect(typo.get_by_role("menuitem", name="Delete")).to_be_focused()
    anna.keyboard.press("Enter")
    expect(typo.locator(".chat-body")).to_have_text("This message was deleted.")

    # the mouse still works: the "⋯" button opens the same menu
    model.get_by_role("button", name="Actions for this message").click()
    expect(model.get_by_role("menuitem", name="Edit")).to_be_visible()
    anna.keyboard.press("Escape")
    expect(model.get_by_role("menu")).to_be_hidden()


def test_unread_count_shows_on_the_chat_tab_elsewhere_in_the_workspace(new_page, chat_team):
    tomas = open_chat(new_page, chat_team["tomas"], chat_team["slug"])
    anna = open_chat(new_page, chat_team["anna"], chat_team["slug"])
    anna.goto(f"/projects/{chat_team['slug']}/")
    send(tomas, "Are you still there?")
    expect(tomas.locator(".chat-message.mine .chat-body").last).to_have_text("Are you still there?")
    anna.reload()
    expect(anna.locator("[data-chat-unread]")).to_have_text("1 unread")


def test_enter_picks_from_the_link_list_and_only_then_sends(new_page, chat_team):
    anna = open_chat(new_page, chat_team["anna"], chat_team["slug"])
    composer = anna.get_by_label("Message", exact=True)
    composer.fill("Plan: ")
    anna.get_by_role("button", name="Link", exact=True).click()
    composer.press_sequentially("gall")
    expect(anna.get_by_role("option", name="Gallery plan document")).to_have_attribute(
        "aria-selected", "true")
    composer.press("Enter")  # picks, does not send
    expect(composer).to_have_value(re.compile(r"^Plan: \[Gallery plan\]\(/projects/.+/documents/\d+\) $"))
    composer.press("Enter")
    expect(composer).to_have_value("")
    expect(anna.locator(".chat-message a[href*='/documents/']").last).to_have_text("Gallery plan")
