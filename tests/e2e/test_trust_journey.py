"""Trust in a real browser: asking to join and being approved by the organisation's
administrator, the site administrators' verification queue, and the list of places one is
signed in with "sign out everywhere else". Every new page passes axe."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_org, make_user
from tests.main.catalogues import compile_catalogues

from .conftest import assert_accessible, sign_in


@pytest.fixture(scope="module")
def people(live_server):
    compile_catalogues()
    with live_server.app().app_context():
        chief = make_user("Chiara Capo", email="chiara@museo-trust.example.it")
        newcomer = make_user("Nico Nuovo", email="nico@museo-trust.example.it")
        admin = make_user("Ada Admin", email="ada@museum-space.example.eu", admin=True)
        creator = make_user("Carla Carta", email="carla@carta-trust.example.it")
        make_org("Museo della Fiducia", members=[chief], website="https://museo-trust.example.it")
        return {"chief": chief.email, "newcomer": newcomer.email, "admin": admin.email,
                "creator": creator.email}


def test_a_request_to_join_is_approved_by_the_organisations_administrator(new_page, people):
    newcomer = sign_in(new_page, people["newcomer"])
    newcomer.goto("/directory/?q=Fiducia")
    newcomer.get_by_role("link", name="Museo della Fiducia").click()
    newcomer.get_by_role("button", name="I work here: ask to join").click()
    expect(newcomer.get_by_text("Your request to join is pending")).to_be_visible()

    chief = sign_in(new_page, people["chief"])
    chief.goto("/notifications/")
    chief.get_by_role("link", name="Nico Nuovo asks to join Museo della Fiducia").click()
    expect(chief.get_by_role("heading", name="Requests to join")).to_be_visible()
    expect(chief.locator(".request-card")).to_contain_text("Domains match")
    assert_accessible(chief, context="organisation page with a request to answer")
    chief.get_by_role("button", name="Approve Nico Nuovo").click()
    expect(chief.locator(".flash-success")).to_contain_text("Nico Nuovo is now a member.")
    chief.get_by_role("button", name="Make Nico Nuovo an administrator").click()
    expect(chief.locator(".member-list")).to_contain_text("Administrator")

    newcomer.reload()
    expect(newcomer.get_by_text("You are a member")).to_be_visible()
    expect(newcomer.get_by_role("link", name="Edit organisation")).to_be_visible()


def test_a_site_administrator_verifies_an_added_organisation_in_one_click(new_page, people):
    creator = sign_in(new_page, people["creator"])
    creator.goto("/orgs/new")
    creator.get_by_label("Name").fill("Museo della Carta Fidata")
    creator.get_by_label("Kind").select_option("museum")
    creator.get_by_label("Country").select_option("IT")
    creator.get_by_label("Size (museums only)").select_option("small")
    creator.get_by_label("Website").fill("https://www.carta-trust.example.it")
    creator.get_by_role("button", name="Add to the directory").click()
    expect(creator.locator(".org-meta .tag-warning")).to_have_text("Awaiting verification")

    admin = sign_in(new_page, people["admin"])
    admin.get_by_role("link", name="Verification").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Verification queue")
    card = admin.locator(".queue-card", has_text="Museo della Carta Fidata")
    expect(card).to_contain_text("carta-trust.example.it")
    expect(card).to_contain_text("Domains match")
    assert_accessible(admin, context="verification queue")
    card.get_by_role("button", name="Verify Museo della Carta Fidata").click()
    expect(admin.locator(".flash-success")).to_contain_text("Museo della Carta Fidata is verified.")

    creator.reload()
    expect(creator.locator(".org-meta .tag-ok")).to_have_text("Verified")
    expect(creator.get_by_role("link", name="Edit organisation")).to_be_visible()


def test_sign_out_everywhere_else_from_the_sessions_page(new_page, people):
    laptop = sign_in(new_page, people["chief"])
    phone = sign_in(new_page, people["chief"])
    laptop.goto("/auth/sessions")
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Where you are signed in")
    expect(laptop.locator(".session-card.is-current")).to_have_count(1)
    assert_accessible(laptop, context="sessions page")
    laptop.once("dialog", lambda dialog: dialog.accept())
    laptop.get_by_role("button", name="Sign out everywhere else").click()
    expect(laptop.locator(".flash-success")).to_contain_text("Signed out everywhere else")
    expect(laptop.locator(".session-card")).to_have_count(1)
    phone.goto("/auth/profile")
    expect(phone).to_have_url(re.compile(r"/auth/login"))
