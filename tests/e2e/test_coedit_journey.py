"""Two people type in the same paragraph of a document at the same time, in two browsers: each
sees the other's cursor and words, both end with the same text, a revision lands in the history
whose diff shows both; one of them goes offline, keeps typing, and their words merge on return.
The documents list says who is editing. The editor passes axe and is left with Tab."""
import os
import re

import pytest
from playwright.sync_api import expect

from app.documents import services
from app.extensions import db

from ..factories import make_project, make_user
from ..live import LiveServer
from .conftest import assert_accessible, sign_in

PLAN = "# Lace in 3D\n\nScope: the lace collection of the museum.\n\nMethod: photogrammetry.\n"
# The promise: the other person's words show within a second. Measured in the browsers
# (when a text first held a phrase in the typist's page and in the other's), and held to it when
# the machine is not overloaded: on a shared 2-core CI box with a load of 13 a second is not
# about the editor.
SEEN_WITHIN_MS = 1_000
OVERLOADED = os.getloadavg()[0] > 2 * (os.cpu_count() or 1)
WATCH = """phrases => {
  const text = document.querySelector('form[data-coedit]').coedit.ytext;
  window.firstSeen = {};
  const look = () => phrases.forEach((p) => {
    if (!(p in window.firstSeen) && text.toString().includes(p)) window.firstSeen[p] = Date.now();
  });
  text.observe(look);
}"""
SHOTS = os.environ.get("COEDIT_SCREENSHOTS")  # a folder: save the two-cursor screenshots there


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    # Revisions are cut by the explicit button here; keep the idle cut out of the way.
    server = LiveServer(tmp_path_factory.mktemp("live"),
                        extra_env={"COEDIT_REVISION_IDLE_SECONDS": "600"}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def team(live_server):
    app = live_server.app()
    with app.app_context():
        anna = make_user("Anna Archivist", "anna.coedit@example.org")
        jonas = make_user("Jonas Joiner", "jonas.coedit@example.org")
        rita = make_user("Rita Leaving", "rita.coedit@example.org")
        project = make_project(lead=anna, members={"member": [jonas, rita]}, title="Lace in 3D")
        first = services.create_document(anna, project, title="Scanning plan", body=PLAN)
        second = services.create_document(anna, project, title="Visitor route", body=PLAN)
        data = {"anna": anna.email, "jonas": jonas.email, "rita": rita.email, "slug": project.slug,
                "docs": [first.id, second.id]}
        db.session.remove()
    return data


def open_editor(new_page, email, url, width=1280):
    page = sign_in(new_page, email)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    expect(page.locator("form[data-coedit]")).to_have_attribute("data-coedit-state", "saved")
    return page


def shared_text(page) -> str:
    return page.evaluate("document.querySelector('form[data-coedit]').coedit.ytext.toString()")


def expect_same_text(page, text: str) -> None:
    page.wait_for_function(
        "text => document.querySelector('form[data-coedit]').coedit.ytext.toString() === text",
        arg=text)


def expect_in_text(page, fragment: str, timeout: float | None = None) -> None:
    """The editor's text (what CodeMirror shows, without the other cursors' name labels)."""
    page.wait_for_function(
        "f => document.querySelector('form[data-coedit]').coedit.ytext.toString().includes(f)",
        arg=fragment, timeout=timeout)


def put_cursor(page, line_text: str, key: str) -> None:
    """Into the line, then Home or End (a click on its first character: on a phone the line
    wraps, and Home goes to the start of the visual line)."""
    page.locator(".cm-line", has_text=line_text).click(position={"x": 2, "y": 4})
    page.keyboard.press(key)


def test_two_people_type_in_one_paragraph_see_each_other_and_both_land_in_a_revision(
        new_page, team):
    doc = f"/projects/{team['slug']}/documents/{team['docs'][0]}"
    anna = open_editor(new_page, team["anna"], doc + "/edit")
    jonas = open_editor(new_page, team["jonas"], doc + "/edit", width=390)
    expect(anna.locator("[data-coedit-editors] li")).to_have_count(2)
    expect(anna.locator("[data-coedit-announce]")).to_contain_text("Jonas Joiner joined")

    # Both in the "Scope" paragraph: Anna at its end, Jonas at its start; keystrokes alternate.
    put_cursor(anna, "Scope:", "End")
    put_cursor(jonas, "Scope:", "Home")
    expect(anna.locator(".cm-coedit-name")).to_have_text("Jonas Joiner")
    expect(jonas.locator(".cm-coedit-name")).to_have_text("Anna Archivist")
    mine, his = " Bobbin lace first.", "Agreed: "
    for page in (anna, jonas):
        page.evaluate(WATCH, ["Bobbin lace first.", "Agreed: Scope:"])
    for index in range(max(len(mine), len(his))):
        anna.keyboard.type(mine[index:index + 1])
        jonas.keyboard.type(his[index:index + 1])
    expect_in_text(jonas, "Bobbin lace first.")
    expect_in_text(anna, "Agreed: Scope:")
    typed_a, seen_a = (page.evaluate("window.firstSeen['Bobbin lace first.']") for page in (anna, jonas))
    typed_j, seen_j = (page.evaluate("window.firstSeen['Agreed: Scope:']") for page in (jonas, anna))
    delays = [seen_a - typed_a, seen_j - typed_j]
    print(f"co-editing: the other browser showed the words after {delays} ms")
    if not OVERLOADED:
        assert max(delays) < SEEN_WITHIN_MS

    for page in (anna, jonas):
        expect(page.locator("form[data-coedit]")).to_have_attribute("data-coedit-state", "saved")
    text = shared_text(anna)
    assert "Agreed: Scope: the lace collection of the museum. Bobbin lace first." in text
    expect_same_text(jonas, text)
    assert_accessible(anna, context="live editor with two cursors")
    if SHOTS:
        anna.screenshot(path=os.path.join(SHOTS, "coedit-1280.png"), full_page=True)
        jonas.screenshot(path=os.path.join(SHOTS, "coedit-390.png"), full_page=True)
    assert jonas.evaluate("document.documentElement.scrollWidth") <= 390

    # The textarea behind the editor follows, so the plain Save and the preview still work.
    expect(anna.locator("textarea[name=body]")).to_have_value(re.compile("Bobbin lace first"))
    anna.get_by_label("Summary of this change").fill("Scope agreed")
    anna.get_by_role("button", name="Save a revision").click()
    expect(anna.locator("[data-coedit-note]")).to_have_text("Saved as revision 2.")
    expect(jonas.locator("[data-coedit-note]")).to_have_text("Saved as revision 2.")

    anna.goto(doc + "/history")
    expect(anna.locator(".doc-history tbody tr")).to_have_count(2)
    expect(anna.locator(".doc-history tbody tr").first).to_contain_text("Scope agreed")
    anna.get_by_role("link", name="changes in revision 2").click()
    added = anna.locator(".diff-added")
    expect(added).to_contain_text("Agreed:")
    expect(added).to_contain_text("Bobbin lace first.")
    expect(jonas.locator("[data-coedit-announce]")).to_contain_text("Anna Archivist left")


def test_offline_typing_merges_on_reconnect_and_the_list_shows_who_is_editing(new_page, team):
    base = f"/projects/{team['slug']}/documents"
    doc = f"{base}/{team['docs'][1]}"
    watcher = sign_in(new_page, team["anna"])
    watcher.goto(base + "/")
    expect(watcher.locator("[data-doc-list]")).to_have_attribute("data-presence", "live")
    jonas = open_editor(new_page, team["jonas"], doc + "/edit")
    editing = watcher.locator(f'[data-doc-id="{team["docs"][1]}"] [data-doc-editing]')
    expect(editing).to_have_text("Jonas Joiner is editing")
    anna = open_editor(new_page, team["anna"], doc + "/edit")
    expect(editing).to_have_text("Anna Archivist and Jonas Joiner are editing")
    assert_accessible(watcher, context="document list with editors")

    jonas.context.set_offline(True)
    expect(jonas.locator("form[data-coedit]")).to_have_attribute("data-coedit-state", "offline")
    expect(jonas.locator("[data-coedit-status]")).to_have_text(
        "Offline — your changes will be sent when you reconnect")
    put_cursor(jonas, "Method:", "End")
    jonas.keyboard.type(" Written on the train.")
    put_cursor(anna, "Method:", "Home")
    anna.keyboard.type("Meanwhile: ")
    assert "Meanwhile" not in shared_text(jonas)

    jonas.context.set_offline(False)
    expect(jonas.locator("form[data-coedit]")).to_have_attribute("data-coedit-state", "saved",
                                                                   timeout=20_000)
    expect_in_text(anna, "Written on the train.")
    expect_in_text(jonas, "Meanwhile: Method:")
    text = shared_text(anna)
    assert "Meanwhile: Method: photogrammetry. Written on the train." in text
    expect_same_text(jonas, text)


def test_keyboard_reaches_the_editor_with_tab_and_leaves_it_with_tab(new_page, team):
    doc = f"/projects/{team['slug']}/documents/{team['docs'][0]}"
    anna = open_editor(new_page, team["anna"], doc + "/edit")
    content = anna.get_by_role("textbox", name="Text", exact=True)
    expect(content).to_have_attribute("aria-describedby", "coedit-hint")
    anna.get_by_label("Title").focus()
    anna.keyboard.press("Tab")
    expect(content).to_be_focused()
    anna.keyboard.type("Tab leaves. ")
    anna.keyboard.press("Tab")
    expect(anna.get_by_role("button", name="Preview")).to_be_focused()
    assert "Tab leaves. " in shared_text(anna)
    # Escape, then Tab, leaves too (CodeMirror's rule for editors that bind Tab).
    content.focus()
    anna.keyboard.press("Escape")
    anna.keyboard.press("Tab")
    expect(anna.get_by_role("button", name="Preview")).to_be_focused()


def test_a_member_removed_while_editing_is_cut_off_and_told_why(new_page, team):
    doc = f"/projects/{team['slug']}/documents/{team['docs'][0]}"
    rita = open_editor(new_page, team["rita"], doc + "/edit")
    anna = sign_in(new_page, team["anna"])
    anna.goto(f"/projects/{team['slug']}/members")
    anna.once("dialog", lambda dialog: dialog.accept())
    anna.get_by_role("button", name="Remove Rita Leaving").click()
    expect(rita.locator("form[data-coedit]")).to_have_attribute("data-coedit-state", "revoked")
    expect(rita.get_by_role("alert")).not_to_be_empty()
    expect(rita.locator(".cm-content")).to_have_attribute("contenteditable", "false")
    expect(rita.get_by_role("button", name="Save a revision")).to_be_hidden()
