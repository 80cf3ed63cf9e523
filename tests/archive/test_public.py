"""The public archive: attachments, API parameters, statistics, open data, XSS."""
import csv
import io
from io import BytesIO
from xml.etree import ElementTree

import pytest

from app.archive import services
from app.documents import services as documents
from app.files import services as files

from .conftest import fill, submitted_case_study
from .factories import published


@pytest.mark.parametrize("store", ["local", "s3"])
def test_only_selected_files_of_a_published_case_study_are_served(app, team, client, store,
                                                                  request):
    if store == "s3":
        request.getfixturevalue("use_s3")  # attachments come from the same blob store
    project, people = team
    lead = people["lead"]
    chosen = files.upload_file(project, lead, BytesIO(b"chosen,data\n1,2\n"), "results.csv")
    private = files.upload_file(project, lead, BytesIO(b"secret,data\n"), "budget.csv")
    doc = documents.create_document(lead, project, title="Scanning guide",
                                    body="# Guide\n\nUse **raking light**.")
    documents.create_document(lead, project, title="Internal notes", body="Do not publish")
    case_study = services.start_case_study(lead, project)
    fill(case_study, lead)
    services.set_attachments(lead, case_study, [doc.id], [chosen.id])
    url = f"/archive/{case_study.slug}/files/{chosen.id}"
    assert client.get(url).status_code == 404  # not published yet
    services.submit_case_study(lead, case_study)
    services.publish_case_study(people["admin"], case_study)
    response = client.get(url)
    assert response.status_code == 200 and response.data == b"chosen,data\n1,2\n"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/archive/{case_study.slug}/files/{private.id}").status_code == 404
    other = published()
    assert client.get(f"/archive/{other}/files/{chosen.id}").status_code == 404
    page = client.get(f"/archive/{case_study.slug}").get_data(as_text=True)
    assert "<strong>raking light</strong>" in page and "Do not publish" not in page
    assert "budget.csv" not in page
    with pytest.raises(Exception):
        services.set_attachments(lead, case_study, [], [999999])


@pytest.mark.parametrize("query", [
    "page=-1", "per_page=abc&page=x", "country=ZZ", "area=time-travel", "language=xx",
    "year=1066", "q=" + "a" * 5000, 'q="unbalanced', "q=AND OR NOT (", "q=((((", "q=*",
    "q=title:foo", "technology=" + "x" * 100, "sort=evil", "budget_range=huge",
])
def test_bad_api_parameters_get_a_clear_400_or_a_sane_clamp(app, client, query):
    published()
    response = client.get(f"/api/v1/case-studies?{query}")
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert ("error" in body) if response.status_code == 400 else ("results" in body)
    assert client.get(f"/archive/?{query}").status_code == 200  # the page explains instead


def test_per_page_is_clamped_and_the_shape_is_the_contract(app, client):
    published(country="FR", language="fr", title="Le musée numérique")
    body = client.get("/api/v1/case-studies?per_page=10000&q=musee").get_json()
    assert body["per_page"] == 50 and body["total"] == 1
    assert set(body) == {"total", "page", "per_page", "results", "facets", "suggestion"}
    assert set(body["results"][0]) == {"slug", "title", "summary", "country", "areas",
                                       "technologies", "language", "original_language", "year",
                                       "url", "highlight"}
    assert body["facets"]["country"] == {"FR": 1}
    assert client.get("/api/v1/case-studies/no-such-thing").status_code == 404


def test_facets_count_the_current_query(app, client):
    published(country="IT", title="Fotogrammetria del lapidario", language="it")
    published(country="IT", title="Audioguida per famiglie", language="it")
    published(country="DE", title="Fotogrammetrie im Stadtmuseum", language="de")
    page = client.get("/archive/?q=fotogrammetria").get_data(as_text=True)
    everything = client.get("/api/v1/case-studies").get_json()
    assert everything["facets"]["country"] == {"IT": 2, "DE": 1}
    filtered = client.get("/api/v1/case-studies?country=IT").get_json()
    assert filtered["total"] == 2
    assert "Fotogrammetria del lapidario" in page


def test_stats_draw_accessible_svg_with_the_right_counts(app, client, team):
    published(country="IT", areas=["ar-vr"], year=2022)
    published(country="IT", areas=["ar-vr", "collections"], year=2023)
    published(country="FR", areas=["collections"], year=2023)
    project, people = team
    submitted_case_study(project, people["lead"])  # not published: not counted
    page = client.get("/archive/stats").get_data(as_text=True)
    assert page.count('role="img"') >= 4 and "<title" in page and "<table>" in page
    assert 'data-country="IT" data-count="2"' in page
    assert 'data-country="FR" data-count="1"' in page
    assert 'data-country="PL" data-count="0"' in page
    assert "3 published case studies" in page
    assert "script" not in page.split("<main", 1)[1].split("</main>")[0]


def test_open_data_exports_carry_the_licence_and_neutralise_formulas(app, client):
    published(title="=HYPERLINK(\"http://evil\")", slug="formula")
    published(title="Ordinary title", slug="ordinary")
    rows = list(csv.DictReader(io.StringIO(client.get("/archive/export.csv").get_data(
        as_text=True))))
    assert {r["slug"] for r in rows} == {"formula", "ordinary"}
    assert next(r for r in rows if r["slug"] == "formula")["title"].startswith("'=")
    data = client.get("/archive/export.json").get_json()
    assert data["license"] == "CC-BY-4.0" and len(data["case_studies"]) == 2
    feed = ElementTree.fromstring(client.get("/archive/feed.atom").data)  # noqa: S314 (our own output)
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 2


def test_user_text_is_inert_everywhere(app, client):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    slug = published(title=f"Title {evil}", summary=f"Summary {evil}",
                     sections={"challenge": f"Body {evil} [x](javascript:alert(3))"},
                     contact=evil[:100])
    for url in (f"/archive/{slug}", "/archive/", "/archive/?q=title", "/archive/stats"):
        html = client.get(url).get_data(as_text=True)
        # inert copies: HTML-escaped in text and attributes, \u003c-escaped in the JSON-LD
        assert "<script>alert" not in html and "onerror=alert" not in html.replace(
            "onerror=alert(2)&gt;", "").replace("onerror=alert(2)\\u003e", "")
        assert "href=\"javascript" not in html
    feed = client.get("/archive/feed.atom").get_data(as_text=True)
    assert "<script>" not in feed


def test_similar_case_studies_are_published_only(app, client, team):
    first = published(title="Photogrammetry of Roman mosaics", technologies=["photogrammetry"])
    published(title="Photogrammetry of medieval stones", technologies=["photogrammetry"])
    project, people = team
    submitted_case_study(project, people["lead"], title="Photogrammetry secret draft",
                         technologies="photogrammetry")
    page = client.get(f"/archive/{first}").get_data(as_text=True)
    assert "Photogrammetry secret draft" not in page


def test_archive_pages_use_a_fixed_number_of_sql_statements(app, client):
    from tests.querycount import count_queries

    def statements(url):
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        return queries

    for n in range(3):
        published(country="IT", title=f"Fotogrammetria {n}")
    small = {url: statements(url).count for url in URLS}
    for n in range(12):
        published(country="FR", title=f"Photogrammétrie {n}")
    for url in URLS:
        queries = statements(url)
        assert queries.count == small[url], (url, str(queries))
        assert queries.count <= 4, (url, str(queries))


URLS = ("/archive/", "/archive/?q=fotogrammetria&country=IT", "/api/v1/case-studies?q=foto",
        "/archive/export.json", "/archive/export.csv", "/archive/feed.atom", "/archive/stats")
