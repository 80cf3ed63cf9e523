"""A museum person applies in a real browser: opens the call, starts a draft, invites a
partner by e-mail; both edit at once (the partner's draft saves itself, the lead's save merges
it), the lead submits and sees the receipt with its SHA-256. Every page passes axe."""
import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.calls.factories import make_call
from tests.factories import make_org, make_user
from tests.main.catalogues import compile_catalogues

from .conftest import assert_accessible, sign_in

SHOTS = "/tmp/apps-shots"


@pytest.fixture(scope="module")
def world(live_server):
    compile_catalogues()
    with live_server.app().app_context():
        call = make_call("open", declarations="We will publish what we learn as a case study.")
        lead = make_user("Lina Leone", email="lina@museo-journey.example.it")
        partner = make_user("Pavel Partner", email="pavel@studio-journey.example.cz")
        make_org("Museo del Viaggio", members=[lead], size="small")
        make_org("Studio Pixel Praha", kind="technology", country="CZ", members=[partner])
        world = {"call": call.slug, "title": call.title, "lead": lead.email,
                 "partner": partner.email}
        db.session.remove()
        return world


def _shoot(page, name):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def test_a_museum_applies_with_a_partner_and_gets_a_receipt(new_page, world):
    lead = sign_in(new_page, world["lead"])
    lead.goto("/calls")
    lead.get_by_role("link", name=world["title"]).click()
    lead.get_by_role("link", name="Apply").click()
    assert_accessible(lead, context="start an application")
    lead.get_by_label("Working title").fill("Journeys in 3D")
    lead.get_by_role("button", name="Start the draft").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Journeys in 3D")
    application_url = lead.url

    lead.get_by_label("Invite a co-applicant by e-mail address").fill(world["partner"])
    lead.get_by_role("button", name="Invite").click()
    expect(lead.get_by_text("The co-applicant is invited.")).to_be_visible()

    partner = sign_in(new_page, world["partner"])
    partner.goto("/applications")
    partner.get_by_role("link", name="Journeys in 3D").click()
    partner.get_by_label("The technology").fill("Photogrammetry with a turntable rig.")
    partner.evaluate("document.querySelector('#application-form').autosaveNow()")
    expect(partner.locator("[data-autosave-status]")).to_contain_text("Draft saved")

    # the lead's page still holds the revision from before the partner's save
    lead.get_by_label("Summary").fill("A small museum scans its travel trunks with a studio.")
    lead.get_by_label("AR / VR").check()
    for label, text in (("The challenge", "Trunks nobody sees."), ("The idea", "Scan them."),
                        ("Expected results for visitors", "Open the trunks online."),
                        ("Workplan", "Three phases."), ("Sustainability", "Volunteers.")):
        lead.get_by_label(label, exact=True).fill(text)
    lead.get_by_label("Date of milestone 1").fill("2027-04-01")
    lead.get_by_label("Milestone 1", exact=True).fill("Scanning done")
    lead.get_by_label("Category of line 1").select_option("subcontracting")
    lead.get_by_label("Description of line 1").fill("Studio's scanning days")
    lead.get_by_label("Amount of line 1 in EUR").fill("24000")
    expect(lead.locator("[data-budget-total]")).to_contain_text("24")
    studio = lead.locator("#partners option", has_text="Studio Pixel Praha").get_attribute("value")
    lead.get_by_label("Partners from the directory").select_option(studio)
    lead.get_by_label("We will publish what we learn as a case study.").check()
    lead.get_by_role("button", name="Save draft").click()
    expect(lead.get_by_text("together with a co-applicant's changes")).to_be_visible()
    expect(lead.get_by_label("The technology")).to_have_value("Photogrammetry with a turntable rig.")
    expect(lead.locator(".checklist .missing")).to_have_count(0)
    assert_accessible(lead, context="the application draft")
    _shoot(lead, "application")

    lead.get_by_role("button", name="Submit the application").click()
    expect(lead.get_by_role("heading", name="Receipt")).to_be_visible()
    sha = lead.locator("[data-sha256]").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", sha)
    assert_accessible(lead, context="the receipt")
    _shoot(lead, "receipt")

    lead.goto(application_url)
    expect(lead.get_by_text("Version 1")).to_be_visible()
    lead.goto("/projects/")
    expect(lead.locator(".dashboard-applications")).to_contain_text("Submitted")


def test_a_manager_sees_the_figures_and_the_chart(new_page, world, live_server):
    with live_server.app().app_context():
        manager = make_user("Marta Manager", email="marta@programme.example.eu")
        manager.is_manager = True
        db.session.commit()
        email = manager.email
        db.session.remove()
    page = sign_in(new_page, email)
    page.goto(f"/calls/{world['call']}/applications")
    expect(page.get_by_role("heading", name="Applications", level=1)).to_be_visible()
    expect(page.locator("svg.bar-chart")).to_be_visible()
    assert_accessible(page, context="a call's applications")
    _shoot(page, "manager")
