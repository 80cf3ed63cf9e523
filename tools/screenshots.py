"""`make screenshots`: the main pages of the demo at 390 and 1280 px, as full-page PNGs in
screenshots/ (gitignored), so anyone can look over the whole interface in a minute.

Starts a real server on a fresh data folder with the whole demo (`seed demo`), signs in as the
demo's museum director (and the site administrator for the curators' pages), and uses the system
Chromium (CHROMIUM_PATH or /usr/bin/chromium) through Playwright.
"""
import shutil
import sys
import tempfile
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.cli import DEMO_LOADERS  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, _chromium_path  # noqa: E402
from tests.live import LiveServer  # noqa: E402

OUT = ROOT / "screenshots"
WIDTHS = (390, 1280)
PROJECT = "bevagna-mosaics-3d"
PAST_CALL = "museum-innovation-pilots-2025"  # evaluated, selected and published
PAGES = {
    None: [("home", "/"), ("archive", "/archive/"), ("archive-stats", "/archive/stats"),
           ("case-study", "/archive/tartu-river-port-ar-trail"), ("calls", "/calls"),
           ("call", "/calls/digital-pilots-2027"), ("directory", "/directory/"),
           ("register", "/auth/register")],
    "anna@museo-demo.eu": [
        ("dashboard", "/projects/"), ("notifications", "/notifications/"),
        ("overview", f"/projects/{PROJECT}/"), ("documents", f"/projects/{PROJECT}/documents/"),
        ("files", f"/projects/{PROJECT}/files/"), ("discussion", f"/projects/{PROJECT}/discussion/"),
        ("chat", f"/projects/{PROJECT}/chat"), ("members", f"/projects/{PROJECT}/members"),
        ("case-study-tab", f"/projects/{PROJECT}/case-study"), ("profile", "/auth/profile")],
    "admin@museum-space.eu": [("verification", "/orgs/verification"),
                              ("review-queue", "/archive/review"),
                              ("evaluation-scores", f"/calls/{PAST_CALL}/evaluation/scores"),
                              ("selection", f"/calls/{PAST_CALL}/selection"),
                              ("results", f"/calls/{PAST_CALL}/results")],
}


def main() -> None:
    chromium = _chromium_path()
    if chromium is None:
        sys.exit("No Chromium found (set CHROMIUM_PATH or install chromium)")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="screenshots-"))
    server = LiveServer(data)
    with server.app().app_context():
        for name in DEMO_LOADERS:
            import_module(name).load_demo()
    server.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for who, pages in PAGES.items():
                for width in WIDTHS:
                    context = browser.new_context(base_url=server.url, locale="en-GB",
                                                  viewport={"width": width, "height": 800})
                    page = context.new_page()
                    if who:
                        page.goto("/auth/login")
                        page.get_by_label("Email").fill(who)
                        page.get_by_label("Password").fill("demo-password")
                        page.get_by_role("button", name="Sign in").click()
                        page.wait_for_url(lambda url: "/auth/login" not in url)
                    for name, url in pages:
                        page.goto(url)
                        page.wait_for_load_state("networkidle")
                        page.screenshot(path=OUT / f"{name}-{width}.png", full_page=True)
                        print(f"screenshots/{name}-{width}.png")
                    context.close()
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
