"""Every organisation door × anonymous, outsider, a person whose request is pending, a member,
the organisation's administrator and a site administrator: the expected status of each cell."""
from dataclasses import dataclass

import pytest

from tests.conftest import client_for
from tests.factories import make_org, make_user

PEOPLE = ("anonymous", "outsider", "pending", "member", "org_admin", "site_admin")


def expect(*statuses) -> dict[str, int]:
    return dict(zip(PEOPLE, statuses, strict=True))


EDIT_FORM = {"name": "Museo Rinnovato", "kind": "museum", "country": "IT", "city": "Bologna",
             "size": "small", "website": "", "description": "", "expertise": ""}


@dataclass
class Cast:
    org: object
    unverified: object
    people: dict

    def values(self) -> dict:
        return {"slug": self.org.slug, "unverified": self.unverified.slug,
                **{f"{who}_id": user.id for who, user in self.people.items()}}


def make_cast() -> Cast:
    people = {"org_admin": make_user("Olivia Admin"), "member": make_user("Mia Member"),
              "pending": make_user("Pia Pending"), "outsider": make_user("Otto Outsider"),
              "site_admin": make_user("Sara Site", admin=True), "other": make_user("Nina New")}
    org = make_org("Museo Matrice", members=[people["org_admin"], people["member"]],
                   pending=[people["pending"], people["other"]])
    unverified = make_org("Museo Nuovo", verification="unverified")
    return Cast(org, unverified, people)


ROUTES = [
    ("GET", "/orgs/{slug}", None, expect(200, 200, 200, 200, 200, 200)),
    ("GET", "/orgs/{slug}/edit", None, expect(302, 403, 403, 200, 200, 200)),
    ("POST", "/orgs/{slug}/edit", EDIT_FORM, expect(302, 403, 403, 302, 302, 302)),
    ("POST", "/orgs/{slug}/join", None, expect(302, 302, 302, 302, 302, 302)),
    ("POST", "/orgs/{slug}/leave", None, expect(302, 302, 302, 302, 302, 302)),
    ("POST", "/orgs/{slug}/requests/{other_id}/approve", None,
     expect(302, 403, 403, 403, 302, 302)),
    ("POST", "/orgs/{slug}/requests/{other_id}/decline", None,
     expect(302, 403, 403, 403, 302, 302)),
    ("POST", "/orgs/{slug}/members/{member_id}/make-admin", None,
     expect(302, 403, 403, 403, 302, 302)),
    ("POST", "/orgs/{slug}/members/{org_admin_id}/remove-admin", None,
     expect(302, 403, 403, 403, 302, 302)),  # the last administrator: refused with a message
    ("GET", "/orgs/verification", None, expect(302, 403, 403, 403, 403, 200)),
    ("POST", "/orgs/{unverified}/verify", {"checked": "y"}, expect(302, 403, 403, 403, 403, 302)),
    ("POST", "/orgs/{unverified}/decline-verification", None,
     expect(302, 403, 403, 403, 403, 302)),
]


@pytest.mark.parametrize("method, path, data, expected, who", [
    pytest.param(method, path, data, expected, who, id=f"{method} {path} as {who}")
    for method, path, data, expected in ROUTES for who in PEOPLE])
def test_organisation_authorization_matrix(app, method, path, data, expected, who):
    cast = make_cast()
    client = app.test_client() if who == "anonymous" else client_for(app, cast.people[who])
    response = client.open(path.format(**cast.values()), method=method, data=data or {})
    assert response.status_code == expected[who], response.get_data(as_text=True)[:300]
    if who == "anonymous" and method == "POST":
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("args", [["orgs", "verify", "{unverified}"],
                                  ["orgs", "approve-member", "{slug}", "{other_email}"]])
def test_operator_commands_are_a_trusted_door(app, runner, args):
    """The CLI has no signed-in user: whoever can run it on the server is an operator."""
    cast = make_cast()
    values = {**cast.values(), "other_email": cast.people["other"].email}
    result = runner.invoke(args=[arg.format(**values) for arg in args])
    assert result.exit_code == 0, result.output
