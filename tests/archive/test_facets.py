"""The archive's facets and statistics read in a useful order: budgets by amount, counts
descending, a facet with a single value left out; chosen filters become removable chips."""
from app.archive.queries import ArchiveResults, facet_groups
from app.archive.stats import archive_stats

from .factories import published


def _results(facets, filters=None):
    return ArchiveResults(q="", filters=filters or {}, sort="date", page=1, per_page=10, total=9,
                          items=[], facets=facets, suggestion=None)


def _group(groups, name):
    return next((group for group in groups if group["name"] == name), None)


def test_budget_ranges_are_listed_by_amount_not_by_count(app):
    with app.test_request_context():
        groups = facet_groups(_results({"budget_range": {
            "gt-250k": 5, "unknown": 9, "lt-10k": 1, "50k-100k": 3, "10k-50k": 2}}))
    assert [o["value"] for o in _group(groups, "budget_range")["options"]] == [
        "lt-10k", "10k-50k", "50k-100k", "gt-250k", "unknown"]


def test_a_facet_with_one_value_is_hidden_unless_it_is_chosen(app):
    with app.test_request_context():
        alone = facet_groups(_results({"language": {"it": 4}, "country": {"IT": 3, "FR": 1}}))
        chosen = facet_groups(_results({"language": {"it": 4}}, {"language": ["it"]}))
    assert _group(alone, "language") is None
    assert [o["value"] for o in _group(alone, "country")["options"]] == ["IT", "FR"]
    assert _group(chosen, "language")["options"][0]["checked"]


def test_each_chosen_filter_knows_the_filters_left_without_it(app):
    filters = {"country": ["IT", "FR"], "area": ["ar-vr"]}
    with app.test_request_context():
        groups = facet_groups(_results(
            {"country": {"IT": 2, "FR": 1}, "area": {"ar-vr": 3, "collections": 1}}, filters))
    italy = _group(groups, "country")["options"][0]
    assert italy["remaining"] == {"country": ["FR"], "area": ["ar-vr"]}
    area = _group(groups, "area")["options"][0]
    assert area["remaining"] == {"country": ["IT", "FR"]}
    assert _group(groups, "area")["options"][1]["remaining"] is None


def test_archive_page_shows_chips_that_remove_one_filter(app, client, team):
    published(country="IT", areas=["ar-vr"], year=2022)
    published(country="FR", areas=["collections"], year=2023)
    page = client.get("/archive/?country=IT&area=ar-vr").get_data(as_text=True)
    chips = page.split('class="filter-chips"', 1)[1].split("</ul>", 1)[0]
    assert chips.count("<li>") == 2
    assert "/archive/?sort=date&amp;area=ar-vr" in chips or "area=ar-vr&amp;sort=date" in chips
    assert "Filters (2)" in page


def test_statistics_bars_per_area_are_sorted_by_count(app, team):
    published(country="IT", areas=["collections"], year=2022)
    published(country="IT", areas=["ar-vr", "collections"], year=2023)
    with app.test_request_context():
        areas = archive_stats().areas
    values = [bar.value for bar in areas]
    assert values == sorted(values, reverse=True) and areas[0].key == "collections"
