"""A visitor reads the open calls and a call's page in a real browser: the closing moment is
shown in the visitor's own time zone with the time left, Apply leads to the form, and both
pages pass axe (no serious or critical violations)."""
import pytest
from playwright.sync_api import expect

from app.calls.demo import load_demo
from app.extensions import db

from .conftest import assert_accessible


@pytest.fixture(scope="module")
def demo_calls(live_server):
    app = live_server.app()
    with app.app_context():
        load_demo()
        db.session.remove()
    return {"open": "digital-pilots-2027", "past": "museum-innovation-pilots-2025"}


def test_calls_pages_show_local_time_and_time_left_accessibly(page, demo_calls):
    page.goto("/calls")
    expect(page.get_by_role("heading", name="Open calls", level=1)).to_be_visible()
    expect(page.locator("[data-time-left]").first).to_contain_text("day")
    assert_accessible(page, context="/calls")

    page.get_by_role("link", name="Digital pilots for small museums 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Digital pilots for small museums 2027")
    expect(page.locator("[data-time-left]")).to_contain_text("day")
    expect(page.get_by_role("link", name="Apply")).to_be_visible()
    assert "Europe/Brussels" not in page.locator(".call-facts").inner_text()  # localised
    assert_accessible(page, context=f"/calls/{demo_calls['open']}")

    page.goto(f"/calls/{demo_calls['past']}")
    expect(page.get_by_text("128 proposals from 27 countries")).to_be_visible()
    assert_accessible(page, context=f"/calls/{demo_calls['past']}")
