"""robots.txt keeps crawlers out of every private page; the sitemap (an index plus pages) lists
exactly the public pages, with lastmod from the data, and nothing unpublished."""
import re
from lxml import etree

import pytest

from app.archive import services
from app.main.crawlers import PRIVATE_PATHS
from tests.archive.conftest import fill, submitted_case_study
from tests.archive.factories import published
from tests.calls.factories import make_call
from tests.factories import make_team
from tests.querycount import count_queries

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def team(app):
    return make_team(title="Icon workshop in 3D", status="completed")


def disallowed(path: str) -> bool:
    return any(re.match(re.escape(rule).replace(r"\*", "[^/]*"), path) for rule in PRIVATE_PATHS)


def test_robots_keeps_out_every_page_that_needs_an_account(app, client):
    project, _people = make_team()
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.mimetype == "text/plain"
    text = robots.get_data(as_text=True)
    assert "Disallow: /projects/" in text and "Sitemap: http://localhost/sitemap.xml" in text
    private, public = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith("/static/"):
            continue
        path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) in ("id", "int")
                      else project.slug, rule.rule)
        response = client.get(path)
        needs_account = response.status_code == 401 or (
            response.status_code == 302 and "/auth/login" in response.location)
        (private if needs_account else public).append(path)
        if needs_account:
            assert disallowed(path), f"{path} needs an account but robots.txt allows it"
    assert len(private) >= 30
    for path in ("/", "/archive/", "/archive/stats", "/calls", "/directory/", "/oai",
                 "/sitemap.xml", "/archive/feed.atom", "/api/v1/case-studies"):
        assert not disallowed(path), path


def _urls_of(client, url) -> list[tuple[str, str | None]]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = etree.fromstring(response.data)
    return [(e.findtext(f"{SM}loc"), e.findtext(f"{SM}lastmod"))
            for e in root if e.tag in (f"{SM}url", f"{SM}sitemap")]


def test_the_sitemap_lists_public_pages_only_in_pages_of_bounded_size(app, client, team):
    app.config["SITEMAP_URLS_PER_PAGE"] = 2
    slugs = [published(published_at=f"2024-0{n}-01T10:00:00") for n in (1, 2, 3)]
    open_call, draft_call = make_call("open"), make_call("draft")
    project, people = team
    draft = submitted_case_study(project, people["lead"], title="Secret icon study")
    pages = _urls_of(client, "/sitemap.xml")
    assert [loc.rsplit("/sitemap/", 1)[1] for loc, _ in pages] == [
        "archive/1.xml", "archive/2.xml", "archive/3.xml", "calls/1.xml", "pages/1.xml"]
    assert pages[0][1] == "2024-03-01T10:00:00Z"  # the newest publication
    listed = {}
    for loc, _lastmod in pages:
        with count_queries() as queries:
            urls = _urls_of(client, loc.replace("http://localhost", ""))
        assert len(urls) <= 2 and queries.count <= 2, str(queries)  # newest, rows
        listed.update(urls)
    base = "http://localhost"
    assert listed == {
        f"{base}/archive/": "2024-03-01T10:00:00Z", f"{base}/archive/stats":
        "2024-03-01T10:00:00Z", **{f"{base}/archive/{slug}": f"2024-0{n}-01T10:00:00Z"
                                   for n, slug in enumerate(slugs, 1)},
        f"{base}/calls": listed[f"{base}/calls"], f"{base}/calls/{open_call.slug}":
        listed[f"{base}/calls/{open_call.slug}"], f"{base}/": None, f"{base}/directory/": None}
    assert draft_call.slug not in str(listed) and draft.slug not in str(listed)
    assert client.get("/sitemap/archive/4.xml").status_code == 404
    assert client.get("/sitemap/nothing/1.xml").status_code == 404


def test_a_withdrawn_case_study_leaves_the_sitemap(app, client, team):
    project, people = team
    case_study = submitted_case_study(project, people["lead"])
    services.publish_case_study(people["admin"], case_study)
    assert f"/archive/{case_study.slug}<" in client.get("/sitemap/archive/1.xml").get_data(
        as_text=True)
    fill(case_study, people["lead"], title="An update under review")
    services.withdraw_case_study(people["admin"], case_study)
    assert case_study.slug not in client.get("/sitemap/archive/1.xml").get_data(as_text=True)
