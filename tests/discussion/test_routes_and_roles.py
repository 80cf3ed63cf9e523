"""Every discussion route across the role matrix: anonymous, non-member, observer, member,
lead, admin, a pilot's mentor. Reading needs project.view, writing project.converse (members,
leads and the mentor), moderation project.manage.
"""
import pytest

from app.discussion import services

from ..conftest import client_for
from ..factories import add_member, make_user
from .conftest import start_thread

ROLES = ("anonymous", "outsider", "observer", "member", "lead", "admin", "mentor")


def _client(app, team, role):
    return app.test_client() if role == "anonymous" else client_for(app, getattr(team, role))


@pytest.fixture
def world(team):
    team.mentor = make_user("Mia Mentor", "mia@mentors.example")
    add_member(team.project, team.mentor, "mentor")
    thread = start_thread(team, author=team.member, title="Lighting", body="Warm or cold?")
    reply = services.reply(team.member, thread, None, "Warm.")
    base = f"/projects/{team.project.slug}/discussion"
    return team, thread, reply, base


def _routes(thread, reply, base):
    t = f"{base}/{thread.id}"
    p = f"{t}/posts/{reply.id}"
    return [
        # (method, url, data, expected status for anonymous..admin, mentor)
        ("GET", f"{base}/", None, (302, 404, 200, 200, 200, 200, 200)),
        ("GET", f"{base}/new", None, (302, 404, 403, 200, 200, 200, 200)),
        ("POST", f"{base}/new", {"title": "T", "body": "B"}, (302, 404, 403, 302, 302, 302, 302)),
        ("GET", t, None, (302, 404, 200, 200, 200, 200, 200)),
        ("POST", f"{t}/reply", {"body": "hi"}, (302, 404, 403, 302, 302, 302, 302)),
        ("GET", p, None, (302, 404, 302, 302, 302, 302, 302)),
        ("GET", f"{p}/history", None, (302, 404, 200, 200, 200, 200, 200)),
        ("GET", f"{p}/edit", None, (302, 404, 403, 200, 403, 403, 403)),
        ("POST", f"{p}/edit", {"body": "Warmer."}, (302, 404, 403, 302, 403, 403, 403)),
        ("POST", f"{t}/pin", {"pinned": "1"}, (302, 404, 403, 403, 302, 302, 403)),
        ("POST", f"{t}/lock", {"locked": "0"}, (302, 404, 403, 403, 302, 302, 403)),
        ("POST", f"{t}/resolve", {"post_id": str(reply.id)}, (302, 404, 403, 403, 302, 302, 403)),
        ("POST", f"{t}/subscription", {"state": "muted"}, (302, 404, 302, 302, 302, 302, 302)),
        ("POST", f"{p}/delete", None, (302, 404, 403, 302, 302, 302, 403)),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_policy_says(app, world, role):
    team, thread, reply, base = world
    client = _client(app, team, role)
    index = ROLES.index(role)
    for method, url, data, expected in _routes(thread, reply, base):
        if url.endswith("/delete") and role == "member":
            continue  # checked last, so that it does not remove the post the others use
        response = client.open(url, method=method, data=data or {})
        assert response.status_code == expected[index], (role, method, url)
        if role == "anonymous":
            assert "/auth/login" in response.headers["Location"]
    if role == "member":
        assert client.post(f"{base}/{thread.id}/posts/{reply.id}/delete").status_code == 302


def test_a_locked_thread_answers_a_reply_with_403_and_a_message(app, world):
    team, thread, _reply, base = world
    services.set_locked(team.lead, thread, True)
    response = client_for(app, team.member).post(f"{base}/{thread.id}/reply", data={"body": "x"})
    assert response.status_code == 403
    assert "This thread is locked" in response.get_data(as_text=True)


def test_an_invalid_reply_keeps_what_was_typed(app, world):
    team, thread, _reply, base = world
    response = client_for(app, team.member).post(
        f"{base}/{thread.id}/reply", data={"body": "   ", "parent_id": "abc"})
    assert response.status_code == 400
    assert "Write something first." in response.get_data(as_text=True)


def test_a_thread_of_another_project_is_not_found_through_this_one(app, world):
    from ..factories import make_project

    team, thread, _reply, _base = world
    other = make_project(lead=team.member)
    response = client_for(app, team.member).get(f"/projects/{other.slug}/discussion/{thread.id}")
    assert response.status_code == 404


def test_pages_show_the_thread_tree_and_tools_for_leads(app, world):
    team, thread, reply, base = world
    services.reply(team.lead, thread, reply.id, "Agreed, @[Anna Bianchi].")
    html = client_for(app, team.lead).get(f"{base}/{thread.id}").get_data(as_text=True)
    assert "Warm or cold?" in html and f'id="post-{reply.id}"' in html
    assert f'<a href="/users/{team.member.id}">@Anna Bianchi</a>' in html
    assert "Mark as resolving answer" in html and ">Lock<" in html
    member_html = client_for(app, team.observer).get(f"{base}/{thread.id}").get_data(as_text=True)
    assert "Mark as resolving answer" not in member_html
    assert "Observers can read the discussion but not post." in member_html
    listing = client_for(app, team.observer).get(f"{base}/").get_data(as_text=True)
    assert "Lighting" in listing and "2 replies" in listing
