"""The live server serves the home page to a real browser, accessibly."""
from .conftest import assert_accessible


def test_home_page_in_chromium_is_accessible(page):
    page.goto("/")
    assert page.locator("h1").first.is_visible()
    assert_accessible(page, context="home")
