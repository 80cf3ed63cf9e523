"""A curator publishes an Italian translation of a case study; a visitor offered "Read in:"
follows the hreflang link to it, and an Italian reader's search lists the case study once, in
Italian. Both new pages pass axe."""
import pytest
from playwright.sync_api import expect

from app.archive.importing import import_records
from app.extensions import db

from ..archive.factories import record
from ..factories import make_user
from .conftest import assert_accessible, sign_in


@pytest.fixture(scope="module")
def translatable(live_server):
    app = live_server.app()
    with app.app_context():
        curator = make_user("Carla Curator", "carla.translations@example.org", admin=True)
        report = import_records([record(slug="amber-in-3d", title="Amber in 3D",
                                        technologies=["photogrammetry"], language="en",
                                        summary="We scanned the amber collection.")])
        assert not report.errors
        people = {"curator": curator.email, "slug": "amber-in-3d"}
        db.session.remove()
    return people


def test_curator_translates_and_readers_find_the_version_in_their_language(new_page,
                                                                          translatable):
    slug = translatable["slug"]
    curator = sign_in(new_page, translatable["curator"])
    curator.goto(f"/archive/{slug}")
    curator.get_by_role("link", name="Add or edit a translation").click()
    assert_accessible(curator, context="translation form")
    curator.get_by_label("Language of the translation").select_option("it")
    curator.get_by_label("Title").fill("L'ambra in 3D")
    curator.get_by_label("Summary").fill("Abbiamo digitalizzato la collezione di ambra.")
    curator.get_by_label("The challenge", exact=True).fill("L'ambra è fragile e buia.")
    curator.get_by_role("button", name="Publish the translation").click()
    expect(curator.locator(".flash-success")).to_contain_text("published")
    expect(curator.get_by_role("heading", level=1)).to_have_text("L'ambra in 3D")

    visitor = new_page()
    visitor.goto(f"/archive/{slug}")
    versions = visitor.get_by_role("navigation", name="Versions of this case study")
    expect(versions).to_contain_text("Read in:")
    versions.get_by_role("link", name="Italiano").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("L'ambra in 3D")
    assert visitor.locator("h1").get_attribute("lang") == "it"
    assert_accessible(visitor, context="translated case study")

    visitor.goto("/archive/?q=fotogrammetria&lang=it")
    items = visitor.locator(".case-item")
    expect(items).to_have_count(1)
    expect(items.first.get_by_role("link")).to_have_text("L'ambra in 3D")
