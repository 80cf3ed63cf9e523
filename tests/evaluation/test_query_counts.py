"""The evaluation pages read with a fixed number of SQL statements whatever the number of
applications, evaluators and evaluations (asserted at 3 and at 24 applications)."""
import pytest

from app.evaluation import queries, scoring, services
from tests.conftest import client_for
from tests.querycount import count_queries

from .factories import application, make_evaluator, make_manager, make_programme

COUNTRIES = ["IT", "FR", "DE", "PL", "ES", "NL", "PT", "AT"]
PAGES = ["/calls/{slug}/evaluation", "/calls/{slug}/evaluation/scores",
         "/calls/{slug}/selection", "/calls/{slug}/evaluate", "/calls/{slug}/results"]


def evaluated_call(size: int):
    call = make_programme(*[application(f"A-{n:03d}", COUNTRIES[n % len(COUNTRIES)],
                                        score=3 + (n % 20) / 10) for n in range(size)])
    people = [make_evaluator(call, country)[1] for country in ("SE", "FI", "DK")]
    services.assign_automatically(call)
    for row in queries.assignments_of(call)[::2]:
        person = next(p for p in people if p.id == row.evaluator.user_id)
        scoring.save_evaluation(row, {c.id: {"score": "3", "comment": "Fine."}
                                      for c in call.criteria}, by=person, submit=True)
    return call, people[0]


def statements(app, call, evaluator) -> dict[str, int]:
    manager = client_for(app, make_manager())
    mine = client_for(app, evaluator)
    counts = {}
    for page in PAGES:
        client = mine if "/evaluate" in page else manager
        with count_queries() as counted:
            response = client.get(page.format(slug=call.slug))
        assert response.status_code == 200, page
        counts[page] = counted.count
    return counts


@pytest.mark.parametrize("size", [24])
def test_pages_keep_a_bounded_number_of_statements(app, size):
    small = statements(app, *evaluated_call(3))
    large = statements(app, *evaluated_call(size))
    assert large == small, large
    assert max(large.values()) <= 30, large
