"""A newcomer's first visit in a real browser: register, sign out, sign in, edit the profile,
add and join organisations, switch to Italian. Every page visited passes axe (no serious or
critical violations). The live server has CSRF on, so every form carries its real token."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_org
from tests.main.catalogues import compile_catalogues

from .conftest import assert_accessible

EMAIL = "lena.horvat@muzej.example.hr"
PASSWORD = "a-very-long-password"


@pytest.fixture(scope="module", autouse=True)
def directory_content(live_server):
    compile_catalogues()
    with live_server.app().app_context():
        make_org("HoloLab Studio", kind="technology", country="NL", city="Rotterdam",
                 expertise=["ar", "vr"])
        make_org("Muzej Grada Splita", kind="museum", country="HR", city="Split", size="small",
                 expertise=["city history"])


def test_newcomer_registers_signs_in_edits_profile_and_joins_an_organisation(page):
    page.goto("/")
    assert_accessible(page, context="home (anonymous)")
    page.get_by_role("link", name="Register").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    assert_accessible(page, context="register")
    page.get_by_label("Your name").fill("Lena Horvat")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#password-error")).to_contain_text("at least 10")
    assert_accessible(page, context="register with errors")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    # registering leads to the start page ("First steps")
    expect(page.get_by_role("heading", level=1)).to_have_text("First steps, Lena Horvat")
    expect(page.locator(".flash-success")).to_contain_text("Welcome, Lena Horvat")
    assert_accessible(page, context="start page")

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".flash")).to_contain_text("You are signed out.")

    page.goto("/auth/login?next=/auth/profile")
    assert_accessible(page, context="login")
    page.get_by_label("Email").fill(EMAIL.upper())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Remember me on this device").check()
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")
    assert_accessible(page, context="edit profile")
    page.get_by_label("Short bio").fill("Curator of city history in Split.")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".bio")).to_have_text("Curator of city history in Split.")
    expect(page.get_by_text("Not a member of any organisation yet.")).to_be_visible()
    assert_accessible(page, context="profile")

    page.get_by_role("link", name="Directory").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner directory")
    assert_accessible(page, context="directory")
    page.get_by_label("Kind").select_option("museum")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".org-card")).to_have_count(1)
    page.get_by_role("link", name="Muzej Grada Splita").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Muzej Grada Splita")
    assert_accessible(page, context="organisation page")
    page.get_by_role("button", name="I work here: ask to join").click()
    expect(page.locator(".flash-success")).to_contain_text("Your request to join Muzej Grada Splita")
    expect(page.get_by_text("Your request to join is pending")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw request")).to_be_visible()
    expect(page.get_by_role("link", name="Edit organisation")).to_have_count(0)
    assert_accessible(page, context="organisation page with a pending request")

    page.get_by_role("link", name="Your profile").click()
    expect(page.locator(".profile")).to_contain_text("Muzej Grada Splita")
    expect(page.locator(".profile")).to_contain_text("Request pending")


def test_member_adds_an_organisation_and_switches_to_italian(page, live_server):
    with live_server.app().app_context():
        from tests.factories import make_user

        make_user("Marta Kovač", email="marta@studio.example.si")
    page.goto("/auth/login")
    page.get_by_label("Email").fill("marta@studio.example.si")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto("/directory/")
    page.get_by_role("link", name="Add an organisation").click()
    assert_accessible(page, context="new organisation form")
    page.get_by_label("Name").fill("Studio Kovač")
    page.get_by_label("Kind").select_option("creative")
    page.get_by_label("Country").select_option("SI")
    page.get_by_label("City").fill("Ljubljana")
    page.get_by_label("Website").fill("not a website")
    page.get_by_label("Expertise").fill("Storytelling, AR")
    page.get_by_role("button", name="Add to the directory").click()
    expect(page.locator("#website-error")).to_contain_text("http://")
    assert_accessible(page, context="new organisation form with errors")
    page.get_by_label("Website").fill("https://studio-kovac.example.si")
    page.get_by_role("button", name="Add to the directory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Studio Kovač")
    expect(page.get_by_role("link", name="https://studio-kovac.example.si")).to_have_attribute(
        "rel", re.compile("nofollow"))

    page.wait_for_load_state("load")  # static/js/app.js listens for the change by then
    page.get_by_label("Language").select_option("it")  # submits itself
    expect(page.get_by_role("link", name="Elenco", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    # added by a person: it waits for a site administrator, so nobody may edit it yet
    expect(page.locator(".org-meta .tag-warning")).to_have_text("In attesa di verifica")
    expect(page.get_by_role("link", name="Modifica l'organizzazione")).to_have_count(0)
    assert_accessible(page, context="organisation page in Italian")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dove i musei d'Europa sperimentano insieme nuove idee digitali")
    assert_accessible(page, context="home in Italian")
