"""The public side of calls: the list (open first, then past with results), the call page with
its rules, countdown and disabled Apply, texts in the visitor's language, the feed and the API,
each in a bounded number of SQL statements."""
from app.extensions import db
from tests.querycount import count_queries

from .factories import make_call


def test_open_calls_come_first_then_past_ones_with_their_results(app, client):
    past = make_call("decided", results="**128 proposals** from 27 countries.")
    current = make_call("open")
    page = client.get("/calls").get_data(as_text=True)
    assert page.index(current.title) < page.index(past.title)
    assert "<strong>128 proposals</strong>" in page


def test_the_call_page_shows_rules_countdown_faq_and_apply(app, client):
    call = make_call("open", countries="IT FR", min_partners="2",
                     criteria="Excellence | 60\nImpact | 40")
    page = client.get(f"/calls/{call.slug}").get_data(as_text=True)
    closes = call.closes_at.isoformat() + "Z"
    assert f'datetime="{closes}"' in page and f'data-closes="{closes}"' in page
    assert "data-time-left" in page and "js/calls.js" in page
    assert "France, Italy" in page and "At least 2 partners" in page
    assert "Excellence" in page and "60%" in page
    assert "Frequently asked questions" in page
    assert f'href="/calls/{call.slug}/apply"' in page


def test_texts_follow_the_visitors_language_and_fall_back_to_the_main_one(app, client):
    call = make_call("open", texts={
        "en": {"title": "Pilots", "description": "In English."},
        "it": {"title": "Progetti pilota", "description": ""}})
    page = client.get(f"/calls/{call.slug}?lang=it").get_data(as_text=True)
    assert "Progetti pilota" in page and "In English." in page
    assert "Bandi aperti" in page
    api = client.get(f"/api/v1/calls/{call.slug}?lang=it").get_json()
    assert api["title"] == "Progetti pilota" and api["description"] == "In English."


def test_the_api_describes_a_call_for_other_sites(app, client):
    call = make_call("open")
    body = client.get(f"/api/v1/calls/{call.slug}").get_json()
    assert body["status"] == "open" and body["max_grant_eur"] == 30000
    assert body["closes_at"].endswith("Z")
    assert body["evaluation"]["scale"] == [0, 5]
    assert sum(c["weight"] for c in body["evaluation"]["criteria"]) == 100
    assert "IT" in body["eligibility"]["countries"]
    assert body["url"].endswith(f"/calls/{call.slug}")
    assert client.get("/api/v1/calls/no-such-call").status_code == 404


def test_the_atom_feed_lists_calls(app, client):
    call = make_call("open")
    response = client.get("/calls/feed.atom")
    assert response.mimetype == "application/atom+xml"
    assert call.title in response.get_data(as_text=True)


def _statements(client, path) -> int:
    db.session.expire_all()
    with count_queries() as queries:
        assert client.get(path).status_code == 200
    return queries.count


def test_pages_keep_a_bounded_number_of_statements(app, client):
    first = make_call("open")
    counts = {path: _statements(client, path) for path in (
        "/calls", "/calls/feed.atom", "/api/v1/calls", f"/calls/{first.slug}")}
    for status in ("open", "decided", "closed", "open", "decided"):
        make_call(status)
    for path, before in counts.items():
        assert _statements(client, path) == before, path
    assert max(counts.values()) <= 4, counts
