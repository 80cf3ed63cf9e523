"""Every workspace route of the projects feature × anonymous, non-member, observer, member,
lead, admin: the expected status of each cell is asserted (see `matrix.py` to extend it)."""
import pytest

from app.projects import members as member_services
from tests.factories import make_user

from .matrix import API_READ, MANAGE_GET, MANAGE_POST, READ, Route, check_cell, expect, \
    matrix_cases


def _settings_body(cast):
    return {"title": "Renamed project", "slug": cast.project.slug, "areas": ["ar-vr"],
            "summary": "New summary", "lead_organisation_id": "0"}


def _invitation(cast):
    invitation, _token = member_services.create_invitation(cast.lead, cast.project, "member")
    return {"invitation_id": invitation.id}


#: the mentor's role: refused to everyone who may see the workspace, leads and admins included
MENTOR_ROLE = expect(302, 404, 403, 403, 403, 403)

ROUTES = [
    Route("GET", "/projects/", expect(302, 200, 200, 200, 200, 200)),
    Route("GET", "/projects/new", expect(302, 200, 200, 200, 200, 200)),
    Route("GET", "/projects/all", expect(302, 403, 403, 403, 403, 200)),
    Route("GET", "/projects/{slug}/", READ),
    Route("GET", "/projects/{slug}/activity", READ),
    Route("GET", "/projects/{slug}/members", READ),
    Route("GET", "/projects/{slug}/settings", MANAGE_GET),
    Route("POST", "/projects/{slug}/settings", MANAGE_POST, data=_settings_body),
    Route("POST", "/projects/{slug}/status", MANAGE_POST,
          data=lambda cast: {"status-status": "completed"}),
    Route("POST", "/projects/{slug}/members/invite", MANAGE_POST,
          data=lambda cast: {"email": make_user().email, "role": "member"}),
    Route("POST", "/projects/{slug}/members/links", MANAGE_POST,
          data=lambda cast: {"link_role": "observer"}),
    Route("POST", "/projects/{slug}/members/links/{invitation_id}/revoke", MANAGE_POST,
          setup=_invitation),
    Route("POST", "/projects/{slug}/members/{user_id}/role", MANAGE_POST,
          setup=lambda cast: {"user_id": cast.member.id}, data=lambda cast: {"role": "observer"}),
    Route("POST", "/projects/{slug}/members/{user_id}/remove", MANAGE_POST,
          setup=lambda cast: {"user_id": cast.observer.id}),
    Route("POST", "/projects/{slug}/members/{user_id}/make-lead", MANAGE_POST,
          setup=lambda cast: {"user_id": cast.member.id}),
    # a pilot's mentor is named by the programme: nobody changes their role in the workspace,
    # hands them the lead or removes them
    Route("POST", "/projects/{slug}/members/{user_id}/role", MENTOR_ROLE,
          setup=lambda cast: {"user_id": cast.mentor.id}, data=lambda cast: {"role": "member"},
          name="POST change the mentor's role"),
    Route("POST", "/projects/{slug}/members/{user_id}/make-lead", MENTOR_ROLE,
          setup=lambda cast: {"user_id": cast.mentor.id}, name="POST hand the lead to the mentor"),
    Route("POST", "/projects/{slug}/members/{user_id}/remove", MENTOR_ROLE,
          setup=lambda cast: {"user_id": cast.mentor.id}, name="POST remove the mentor"),
    # the only lead may not leave (400); an admin who is not a member has nothing to leave
    Route("POST", "/projects/{slug}/leave", expect(302, 404, 302, 302, 400, 404)),
    Route("GET", "/api/v1/projects", expect(401, 200, 200, 200, 200, 200)),
    Route("GET", "/api/v1/projects/{slug}", API_READ),
    Route("GET", "/api/v1/projects/{slug}/members", API_READ),
    # the pickers of the discussion composer: members to @mention, documents and files to link
    Route("GET", "/api/v1/projects/{slug}/members/search?q=a", API_READ),
    Route("GET", "/api/v1/projects/{slug}/linkables?q=a", API_READ),
    Route("GET", "/api/v1/projects/{slug}/linkables?q=" + "a" * 61,
          expect(401, 404, 400, 400, 400, 400), name="GET linkables with a too long q"),
]


@pytest.mark.parametrize("route,who", matrix_cases(ROUTES))
def test_workspace_authorization_matrix(app, route, who):
    check_cell(app, route, who)


#: the operators' CLI (no signed-in user) asks the same policy, as `OPERATOR`: trusted with the
#: workspace's members, refused the pilot's mentor like the leads and admins above (exit 1)
OPERATOR_COMMANDS = [
    (["add-member", "{slug}", "{member}", "observer"], 0),
    (["add-member", "{slug}", "{member}", "lead"], 0),
    (["remove-member", "{slug}", "{observer}"], 0),
    (["add-member", "{slug}", "{mentor}", "member"], 1),
    (["add-member", "{slug}", "{mentor}", "lead"], 1),
    (["remove-member", "{slug}", "{mentor}"], 1),
]


@pytest.mark.parametrize("args,exit_code", OPERATOR_COMMANDS,
                         ids=[" ".join(args) for args, _code in OPERATOR_COMMANDS])
def test_operator_commands_on_members(app, runner, args, exit_code):
    from .factories import make_cast

    cast = make_cast()
    values = {"slug": cast.project.slug, "member": cast.member.email,
              "observer": cast.observer.email, "mentor": cast.mentor.email}
    result = runner.invoke(args=["projects", *(arg.format(**values) for arg in args)])
    assert result.exit_code == exit_code, result.output


def test_unknown_project_is_the_same_404_as_a_private_one(app):
    from .factories import make_cast
    from tests.conftest import client_for

    cast = make_cast()
    client = client_for(app, cast.outsider)
    hidden = client.get(f"/projects/{cast.project.slug}/")
    missing = client.get("/projects/no-such-project/")
    assert hidden.status_code == missing.status_code == 404
    assert client.get(f"/api/v1/projects/{cast.project.slug}").get_json() == \
        client.get("/api/v1/projects/no-such-project").get_json()
