"""The workspace authorization matrix, table-driven so other features can add their routes.

A `Route` names a method, a path template and the expected status for each person in
`PEOPLE`. Path templates may use `{slug}` and any key returned by `setup(cast)` (e.g. the id
of a document created for the test). `data(cast)` gives the form or JSON body for writes.

Other features extend it in their own test module:

    from tests.projects.matrix import READ, Route, check_cell, expect, matrix_cases
    ROUTES = [Route("GET", "/projects/{slug}/documents/", READ), ...]
    @pytest.mark.parametrize("route,who", matrix_cases(ROUTES))
    def test_documents_matrix(app, route, who):
        check_cell(app, route, who)
"""
from dataclasses import dataclass, field
from collections.abc import Callable

from tests.conftest import client_for

from .factories import make_cast

PEOPLE = ("anonymous", "outsider", "observer", "member", "lead", "admin", "mentor")


def expect(anonymous, outsider, observer, member, lead, admin, mentor=None) -> dict[str, int]:
    """A pilot's mentor reads like an observer unless told otherwise (they also talk in the
    discussion and chat: those routes give `mentor=` its own answer)."""
    return dict(zip(PEOPLE, (anonymous, outsider, observer, member, lead, admin,
                             observer if mentor is None else mentor), strict=True))


#: pages: anonymous is sent to sign in; a non-member must not learn the workspace exists
READ = expect(302, 404, 200, 200, 200, 200)
#: writes by members (documents, files…): the observer may look but not touch
CONTRIBUTE_POST = expect(302, 404, 403, 302, 302, 302)
#: lead-only pages and actions
MANAGE_GET = expect(302, 404, 403, 403, 200, 200)
MANAGE_POST = expect(302, 404, 403, 403, 302, 302)
#: JSON API: 401 without a session, the same 404 for outsiders
API_READ = expect(401, 404, 200, 200, 200, 200)


@dataclass
class Route:
    method: str
    path: str
    expected: dict[str, int]
    data: Callable | None = None
    setup: Callable | None = None
    name: str = field(default="")

    def __post_init__(self):
        self.name = self.name or f"{self.method} {self.path}"


def matrix_cases(routes: list[Route]):
    """(route, who) pairs for `pytest.mark.parametrize`, with readable ids."""
    import pytest

    return [pytest.param(route, who, id=f"{route.name} as {who}")
            for route in routes for who in PEOPLE]


def check_cell(app, route: Route, who: str, cast=None) -> None:
    cast = cast or make_cast()
    values = {"slug": cast.project.slug, **(route.setup(cast) if route.setup else {})}
    person = cast.person(who)
    client = client_for(app, person) if person is not None else app.test_client()
    body = route.data(cast) if route.data else None
    if route.method == "GET":
        response = client.get(route.path.format(**values))
    elif route.path.startswith("/api/"):
        response = client.open(route.path.format(**values), method=route.method, json=body)
    else:
        response = client.open(route.path.format(**values), method=route.method, data=body or {})
    expected = route.expected[who]
    assert response.status_code == expected, (
        f"{route.name} as {who}: expected {expected}, got {response.status_code}\n"
        + response.get_data(as_text=True)[:400])
    if expected == 302 and who == "anonymous":
        assert "/auth/login" in response.headers["Location"]
    if route.path.startswith("/api/") and expected >= 400:
        assert "error" in response.get_json()
