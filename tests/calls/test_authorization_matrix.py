"""Every route and API endpoint of calls × anonymous, signed-in user, manager, admin.
Drafts exist only for managers and admins; everyone else gets the same 404 as for no call."""
from dataclasses import dataclass

import pytest

from tests.conftest import client_for
from tests.factories import make_user

from .factories import call_input, make_call, make_manager

PEOPLE = ("anonymous", "user", "manager", "admin")


def expect(anonymous, user, manager, admin) -> dict[str, int]:
    return dict(zip(PEOPLE, (anonymous, user, manager, admin), strict=True))


PUBLIC = expect(200, 200, 200, 200)
DRAFT = expect(404, 404, 200, 200)
MANAGE_GET = expect(302, 403, 200, 200)
MANAGE_POST = expect(302, 403, 302, 302)
DRAFT_GET = expect(302, 404, 200, 200)
DRAFT_POST = expect(302, 404, 302, 302)


def form_body(**changes) -> dict:
    """`call_input` as the editor's form posts it."""
    data = call_input()
    for locale, texts in data.pop("texts").items():
        for field, text in texts.items():
            data[f"{field}_{locale}"] = text
    data.pop("two_stage")
    return data | changes


@dataclass
class Route:
    method: str
    path: str
    expected: dict
    data: object = None


ROUTES = [
    Route("GET", "/calls", PUBLIC),
    Route("GET", "/calls/feed.atom", PUBLIC),
    Route("GET", "/calls/{open}", PUBLIC),
    Route("GET", "/calls/{draft}", DRAFT),
    Route("GET", "/calls/new", MANAGE_GET),
    Route("POST", "/calls/new", MANAGE_POST, data=lambda c: form_body()),
    Route("GET", "/calls/{open}/edit", MANAGE_GET),
    Route("GET", "/calls/{draft}/edit", DRAFT_GET),
    Route("POST", "/calls/{open}/edit", MANAGE_POST, data=lambda c: form_body(slug=c["open"])),
    Route("POST", "/calls/{draft}/edit", DRAFT_POST, data=lambda c: form_body(slug=c["draft"])),
    Route("POST", "/calls/{draft}/status", DRAFT_POST, data=lambda c: {"status": "open"}),
    Route("POST", "/calls/{open}/status", MANAGE_POST, data=lambda c: {"status": "closed"}),
    Route("GET", "/api/v1/calls", PUBLIC),
    Route("GET", "/api/v1/calls/{open}", PUBLIC),
    Route("GET", "/api/v1/calls/{draft}", DRAFT),
]


def _person(who):
    return {"anonymous": None, "user": make_user, "manager": make_manager,
            "admin": lambda: make_user(admin=True)}[who]


@pytest.mark.parametrize("route,who", [
    pytest.param(r, who, id=f"{r.method} {r.path} as {who}") for r in ROUTES for who in PEOPLE])
def test_calls_authorization_matrix(app, route, who):
    slugs = {"open": make_call("open").slug, "draft": make_call("draft").slug}
    maker = _person(who)
    client = client_for(app, maker()) if maker else app.test_client()
    ask(client, route, who, route.path.format(**slugs), slugs)


def ask(client, route: Route, who: str, path: str, world) -> None:
    """Send the route's request as `who` and check the answer the matrix expects: anonymous
    people are sent to sign in, the API answers its refusals with an error object."""
    response = client.get(path) if route.method == "GET" else client.post(
        path, data=route.data(world))
    expected = route.expected[who]
    assert response.status_code == expected, (
        f"{route.method} {path} as {who}: expected {expected}, got {response.status_code}\n"
        + response.get_data(as_text=True)[:600])
    if expected == 302 and who == "anonymous":
        assert "/auth/login" in response.headers["Location"]
    if path.startswith("/api/") and expected >= 400:
        assert "error" in response.get_json()


@pytest.mark.parametrize("who,sees_draft", [("anonymous", False), ("user", False),
                                            ("manager", True), ("admin", True)])
def test_drafts_are_listed_only_for_managers(app, who, sees_draft):
    draft = make_call("draft")
    make_call("open")
    maker = _person(who)
    client = client_for(app, maker()) if maker else app.test_client()
    listed = [c["slug"] for c in client.get("/api/v1/calls").get_json()["results"]]
    assert (draft.slug in listed) is sees_draft
    assert (draft.slug in client.get("/calls").get_data(as_text=True)) is sees_draft
    assert draft.slug not in client.get("/calls/feed.atom").get_data(as_text=True)
