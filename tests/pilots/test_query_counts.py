"""The manager's table pages keep a bounded number of SQL statements at 2,000 applications:
the same count as with a handful, for the score table, the selection, the grants page and
the public results (each renders every row it lists)."""
import pytest

from app.evaluation import selecting
from tests.conftest import client_for
from tests.evaluation.factories import application, make_manager, make_programme
from tests.querycount import count_queries

# 2,000 applications take minutes to build; the bound is the ORM's loading, the same on both
pytestmark = pytest.mark.one_database

COUNTRIES = ["IT", "FR", "DE", "PL", "ES", "NL", "PT", "AT", "BE", "SE", "FI", "DK", "IE",
             "CZ", "SK", "SI", "HR", "HU", "RO", "BG", "GR", "CY", "MT", "LU", "LT", "LV",
             "EE", "NO", "IS", "CH"]
PAGES = ["/calls/{slug}/evaluation/scores", "/calls/{slug}/selection",
         "/calls/{slug}/grants", "/calls/{slug}/results", "/calls/{slug}/applications"]


def published_call(size: int):
    call = make_programme(
        *[application(f"A-{n:04d}", COUNTRIES[n % len(COUNTRIES)], score=3 + (n % 20) / 10,
                      requested=10_000 + (n % 7) * 1_000, areas=("collections",)
                      if n % 3 else ("ar-vr",), size="small" if n % 2 else "medium")
          for n in range(size)],
        budget_eur=480_000, max_per_country=2, min_small_share=0.3)
    manager = make_manager()
    selecting.publish(call, by=manager)
    return call, manager


#: (page, call) -> the statements it ran, for a readable failure
SEEN: dict = {}


def statements(app, call, manager) -> dict[str, int]:
    client = client_for(app, manager)
    counts = {}
    for page in PAGES:
        with count_queries() as counted:
            response = client.get(page.format(slug=call.slug))
        assert response.status_code == 200, page
        counts[page] = counted.count
        SEEN[(page, call.slug)] = f"{page} of {call.slug}: {counted}"
    return counts


def test_manager_pages_stay_bounded_at_two_thousand_applications(app):
    small = statements(app, *published_call(40))
    large = statements(app, *published_call(2_000))
    assert large == small, "\n".join(v for v in SEEN.values())
    assert max(large.values()) <= 30, large
