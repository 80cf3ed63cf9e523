"""The public archive served from cache: a change shows at once everywhere, conditional requests
answer 304, and only anonymous answers are ever cached (app/core/pagecache.py)."""
import gzip
import re

from app.archive import services
from app.archive.importing import import_records

from tests.conftest import client_for

from .conftest import submitted_case_study
from .factories import published, record

#: every public page that shows the archive's titles (statistics show counts: STATS)
PUBLIC_VIEWS = ("/archive/", "/archive/?q=lapidarium", "/archive/feed.atom",
                "/archive/?area=3d-digitisation")
STATS = "/archive/stats"


def pages(client, *urls):
    """Each URL twice, so a second answer would come from the cache if it were kept."""
    bodies = {}
    for url in urls:
        first = client.get(url)
        second = client.get(url)
        assert first.status_code == second.status_code
        assert first.data == second.data, url
        bodies[url] = (second.status_code, second.get_data(as_text=True))
    return bodies


def figures(client) -> str:
    """The statistics page without its per-request CSRF tokens (signed-in pages have them)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", client.get(STATS).get_data(as_text=True))


def test_anonymous_public_pages_are_cached_with_validators(app, client):
    published()
    for url in ("/", "/archive/", "/archive/stats", "/directory/", "/calls"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"].startswith("public, max-age=")
        assert "Cookie" in response.headers["Vary"] and "Accept-Language" in response.headers["Vary"]
        assert response.headers["ETag"] and response.headers["Last-Modified"]
        assert "Set-Cookie" not in response.headers
        assert 'name="csrf_token"' not in response.get_data(as_text=True)
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == response.headers["ETag"]
        compressed = response.headers["ETag"].rstrip('"') + ':gzip"'
        assert client.get(url, headers={"If-None-Match": compressed}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_publish_is_visible_at_once_everywhere(app, client, team):
    project, people = team
    published(title="Photogrammetry of the lapidarium first")
    case_study = submitted_case_study(project, people["lead"], title="Lapidarium icons in 3D")
    signed_in = client_for(app, people["member"])  # figures cached for signed-in readers too
    stats_signed_in = figures(signed_in)
    before = pages(client, *PUBLIC_VIEWS, STATS)
    assert all("Lapidarium icons in 3D" not in body for _status, body in before.values())
    assert client.get(f"/archive/{case_study.slug}").status_code == 404
    etag = client.get("/archive/").headers["ETag"]
    services.publish_case_study(people["admin"], case_study)
    after = pages(client, *PUBLIC_VIEWS, f"/archive/{case_study.slug}", STATS)
    assert after.pop(STATS) != before[STATS]  # one more case study counted
    assert figures(signed_in) != stats_signed_in
    for url, (status, body) in after.items():
        assert status == 200 and "Lapidarium icons in 3D" in body, url
    assert client.get("/archive/", headers={"If-None-Match": etag}).status_code == 200


def test_a_withdrawal_disappears_at_once_everywhere(app, client, team):
    project, people = team
    published(title="Photogrammetry of the lapidarium kept")
    case_study = submitted_case_study(project, people["lead"], title="Lapidarium icons in 3D")
    services.publish_case_study(people["admin"], case_study)
    shown = pages(client, *PUBLIC_VIEWS, f"/archive/{case_study.slug}", STATS)
    stats = shown.pop(STATS)
    assert all("Lapidarium icons in 3D" in body for _status, body in shown.values())
    services.withdraw_case_study(people["admin"], case_study, "Rights were not cleared.")
    gone = pages(client, *PUBLIC_VIEWS, STATS)
    assert gone.pop(STATS) != stats  # one fewer
    for url, (status, body) in gone.items():
        assert status == 200 and "Lapidarium icons in 3D" not in body, url
        assert "lapidarium kept" in body, url
    assert client.get(f"/archive/{case_study.slug}").status_code == 404


def test_an_update_changes_the_pages_at_once_and_nothing_stale_comes_back(app, client):
    slug = published(title="Photogrammetry of the lapidarium, first edition")
    old = pages(client, *PUBLIC_VIEWS, f"/archive/{slug}")
    assert all("first edition" in body for _status, body in old.values())
    report = import_records([record(slug=slug, title="Photogrammetry of the lapidarium, second")])
    assert not report.errors
    for _round in range(3):  # and stays so: no entry of the old version is read again
        new = pages(client, *PUBLIC_VIEWS, f"/archive/{slug}")
        for url, (status, body) in new.items():
            assert status == 200 and "second" in body and "first edition" not in body, url


def test_each_language_has_its_own_cached_page(app, client):
    published()
    english = client.get("/archive/?lang=en", headers={"Accept-Language": "en"})
    italian = client.get("/archive/", headers={"Accept-Language": "it"})
    assert english.data != italian.data
    assert client.get("/archive/", headers={"Accept-Language": "it"}).data == italian.data
    assert 'lang="it"' in italian.get_data(as_text=True)


def test_flashed_messages_are_never_cached(app):
    published()
    flashed, other = app.test_client(), app.test_client()
    with flashed.session_transaction() as session:
        session["_flashes"] = [("info", "A message for one visitor only")]
    assert "A message for one visitor only" in flashed.get("/archive/").get_data(as_text=True)
    assert "A message for one visitor only" not in other.get("/archive/").get_data(as_text=True)
    assert "A message for one visitor only" not in flashed.get("/archive/").get_data(as_text=True)


def test_signed_in_pages_carry_no_caching_headers(app, client, auth, team):
    project, people = team
    published()
    auth.login(people["lead"])
    for url in ("/", "/archive/", "/archive/stats", "/directory/", "/calls", "/projects/",
                f"/projects/{project.slug}/", f"/projects/{project.slug}/documents/",
                f"/projects/{project.slug}/discussion/", f"/projects/{project.slug}/chat"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-store", url
        assert "ETag" not in response.headers, url
        assert client.get(url, headers={"If-None-Match": "*"}).status_code == 200, url


def test_a_cached_page_goes_gzipped_to_browsers_that_take_it(app, client):
    published()
    plain = client.get("/archive/")
    zipped = client.get("/archive/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + ':gzip"'
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert client.get("/archive/", headers={"Accept-Encoding": "gzip",
                                            "If-None-Match": zipped.headers["ETag"]}
                      ).status_code == 304
