"""The case-study page's JSON-LD is a data block: Chromium, under the site's real CSP (no
inline scripts), reports no violation for it and reads it as JSON; the same block turned into
an executable script is refused, so the check can fail."""
import pytest

from app.archive.importing import import_records
from app.extensions import db

from ..archive.factories import record

WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    (event) => window.__csp.push(event.violatedDirective));
"""
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))"


@pytest.fixture(scope="module")
def slug(live_server):
    with live_server.app().app_context():
        data = record(title="Lace </script> in AR", language="fr", country="FR")
        assert not import_records([data]).errors
        db.session.remove()
    return data["slug"]


def _watched(new_page):
    page = new_page()
    page.add_init_script(WATCH_CSP)
    console = []
    page.on("console", lambda message: console.append(message.text))
    return page, console


def test_the_json_ld_block_raises_no_csp_violation(new_page, slug):
    page, console = _watched(new_page)
    response = page.goto(f"/archive/{slug}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    page.evaluate(SETTLED)
    assert page.evaluate("window.__csp") == []
    assert not [text for text in console if "Content Security Policy" in text]
    data = page.evaluate("JSON.parse(document.querySelector("
                         "'script[type=\"application/ld+json\"]').textContent)")
    assert data["@type"] == "Article" and data["headline"] == "Lace </script> in AR"
    assert data["inLanguage"] == "fr" and data["spatialCoverage"]["identifier"] == "FR"


def test_the_same_block_as_a_script_would_be_refused(new_page, slug):
    page, _console = _watched(new_page)

    def as_script(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(
            'type="application/ld+json"', 'type="text/javascript"'))

    page.route(f"**/archive/{slug}", as_script)
    page.goto(f"/archive/{slug}")
    page.wait_for_function("window.__csp.length > 0")
    assert "script-src-elem" in page.evaluate("window.__csp")
