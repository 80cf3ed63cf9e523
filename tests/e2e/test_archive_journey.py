"""A lead drafts and submits a case study, an admin publishes it, and an anonymous visitor
finds it with a misspelt, accentless query and narrows the results by country."""
import pytest
from playwright.sync_api import expect

from app.archive.importing import import_records
from app.extensions import db

from ..archive.factories import record
from ..factories import make_org, make_project, make_user
from .conftest import assert_accessible, sign_in

TITLE = "La dentelle mécanique du Musée de Calais en réalité augmentée"


@pytest.fixture(scope="module")
def archive_team(live_server):
    app = live_server.app()
    with app.app_context():
        lead = make_user("Léa Lefèvre", "lea.archive@example.org")
        admin = make_user("Sofie Curator", "sofie.archive@example.org", admin=True)
        org = make_org("Musée de la Dentelle de Calais", country="FR", city="Calais")
        project = make_project(lead=lead, title="Lace in AR", status="completed",
                               organisation=org)
        # Another published lace case study, from Belgium, so the country filter matters.
        report = import_records([record(
            slug="bruges-lace-online", title="Le musée de la dentelle de Bruges en ligne",
            language="fr", country="BE", summary="Collections de dentelle numérisées.",
            lead={"name": "Kantcentrum Brugge", "city": "Brugge", "size": "small"})])
        assert not report.errors
        team = {"lead": lead.email, "admin": admin.email, "slug": project.slug}
        db.session.remove()
    return team


def test_draft_submit_publish_then_find_by_misspelt_accentless_search(new_page, archive_team):
    slug = archive_team["slug"]
    lead = sign_in(new_page, archive_team["lead"])
    lead.goto(f"/projects/{slug}/case-study")
    lead.get_by_role("button", name="Start the case study from the template").click()
    expect(lead.locator("[data-case-status]")).to_have_attribute("data-case-status", "draft")
    assert_accessible(lead, context="case study editor")
    lead.get_by_label("Title").fill(TITLE)
    lead.get_by_label("Summary").fill("Des tablettes font revivre les métiers Leavers "
                                      "et la fabrication de la dentelle mécanique.")
    lead.get_by_label("Language of the text").select_option("fr")
    for label, text in (("The challenge", "Les métiers à tisser sont immobiles et muets."),
                        ("Approach and methods", "Nous avons filmé les derniers tullistes."),
                        ("Results and impact", "Douze mille visiteurs la première année."),
                        ("Lessons learned", "Tester avec les familles dès le début.")):
        lead.get_by_label(label, exact=True).fill(text)
    lead.get_by_role("button", name="Save the case study").click()
    expect(lead.locator(".flash-success")).to_contain_text("saved")
    lead.once("dialog", lambda dialog: dialog.accept())
    lead.get_by_role("button", name="Submit to the curators").click()
    expect(lead.locator("[data-case-status]")).to_have_attribute("data-case-status",
                                                                 "submitted")

    admin = sign_in(new_page, archive_team["admin"])
    admin.goto("/archive/review")
    admin.get_by_role("link", name=TITLE).click()
    assert_accessible(admin, context="curators' review")
    admin.get_by_role("button", name="Publish").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(TITLE)

    visitor = new_page()
    visitor.goto("/archive/")
    visitor.get_by_label("Search case studies").fill("musee dentele")
    visitor.get_by_role("button", name="Search", exact=True).click()
    results = visitor.locator(".case-item h3")
    expect(results).to_have_count(2)
    assert_accessible(visitor, context="archive search")
    visitor.locator("fieldset[data-facet=country]").get_by_label("France").check()
    expect(results).to_have_count(1)
    expect(results).to_have_text(TITLE)
    expect(visitor.locator(".snippet mark").first).to_be_visible()
    results.get_by_role("link").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(visitor, context="case study page")
    visitor.goto("/archive/stats")
    expect(visitor.locator('[data-country="FR"]')).to_have_attribute("data-count", "1")
    assert_accessible(visitor, context="archive statistics")
