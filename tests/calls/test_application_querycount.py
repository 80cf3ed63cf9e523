"""The managers' and applicants' pages run the same number of SQL statements with 10 and with
1,000 applications (no query per application)."""
import pytest

from tests.conftest import client_for
from tests.querycount import count_queries

from .application_factories import bulk_applications, make_applicant, make_application
from .factories import make_call, make_manager

LIMIT = 25


def _statements(client, path) -> int:
    client.get(path)  # warm: the first request of a client loads the session's user once more
    with count_queries() as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    assert queries.count <= LIMIT, f"{path}: {queries}"
    return queries.count


@pytest.mark.parametrize("path", ["/calls/{slug}/applications", "/calls/{slug}/applications.csv",
                                  "/calls/{slug}/applications.xlsx", "/applications",
                                  "/projects/", "/applications/{id}"])
def test_pages_run_a_bounded_number_of_statements_at_10_and_1000_applications(app, path):
    call = make_call("open")
    owner, museum = make_applicant()
    mine = make_application(call, owner, museum)
    manager = make_manager()
    client = client_for(app, manager if path.startswith("/calls") else owner)
    path = path.format(slug=call.slug, id=mine.id)
    bulk_applications(call, 10, owner=owner)
    at_ten = _statements(client, path)
    bulk_applications(call, 990, owner=owner)
    # (one statement may come or go: the sign-in session's last-seen time, written once a minute)
    assert _statements(client, path) <= at_ten + 1
