"""Browser journeys: Playwright driving the system Chromium against a real server process.

Skips when no Chromium is found, fails instead under REQUIRE_BROWSER=1. One live server per
test module (`live_server`), one browser per session, a fresh context per page.
"""
import os
import shutil
from pathlib import Path

import pytest

from ..factories import DEFAULT_PASSWORD
from ..live import LiveServer

REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        message = "No Chromium found (set CHROMIUM_PATH or install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (separate cookies = separate people)."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def assert_accessible(page, *, context: str = "") -> None:
    """Run axe-core on the page; fail on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [
        violation for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]
    summary = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} :: "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                    for node in v["nodes"][:3])
        for v in violations
    )
    assert not violations, f"Accessibility violations on {context or page.url}:\n{summary}"


def sign_in(new_page, email, password=DEFAULT_PASSWORD, *, landing=None):
    """Open a fresh page, sign in through the login form and return the page.

    Waits until the browser has left /auth/login, or for `landing` (a URL pattern) when given.
    """
    page = new_page()
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(landing or (lambda url: "/auth/login" not in url))
    return page
