"""Every account door about sessions and disabling × anonymous, the account's owner, another
person and a site administrator."""
import pytest

from app.auth.models import UserSession
from app.extensions import db
from tests.conftest import client_for
from tests.factories import make_user

PEOPLE = ("anonymous", "owner", "other", "site_admin")


def expect(*statuses) -> dict[str, int]:
    return dict(zip(PEOPLE, statuses, strict=True))


ROUTES = [
    ("GET", "/auth/sessions", expect(302, 200, 200, 200)),
    # the owner's own session; anyone else's is not found
    ("POST", "/auth/sessions/{session_id}/end", expect(302, 302, 404, 404)),
    ("POST", "/auth/sessions/end-others", expect(302, 302, 302, 302)),
    ("POST", "/users/{owner_id}/disable", expect(302, 403, 403, 302)),
    ("POST", "/users/{owner_id}/enable", expect(302, 403, 403, 302)),
]


@pytest.mark.parametrize("method, path, expected, who", [
    pytest.param(method, path, expected, who, id=f"{method} {path} as {who}")
    for method, path, expected in ROUTES for who in PEOPLE])
def test_account_authorization_matrix(app, method, path, expected, who):
    people = {"owner": make_user(), "other": make_user(), "site_admin": make_user(admin=True)}
    clients = {who_: client_for(app, user) for who_, user in people.items()}
    clients["anonymous"] = app.test_client()
    owner_session = db.session.query(UserSession).filter_by(user_id=people["owner"].id).one()
    url = path.format(session_id=owner_session.id, owner_id=people["owner"].id)
    response = clients[who].open(url, method=method)
    assert response.status_code == expected[who]
    if who == "anonymous" and expected[who] == 302:
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("command", ["disable", "enable"])
def test_operator_commands_are_a_trusted_door(app, runner, command):
    user = make_user()
    result = runner.invoke(args=["users", command, user.email])
    assert result.exit_code == 0, result.output
