"""The message hot path: one statement to check the sign-in session, one to check the caller, one
to store, and what it relies on."""
from app.chat.models import ChatMessage
from app.core import realtime
from app.core.ratelimit import LocalMovingWindow, RedisMovingWindow
from app.extensions import db
from app.policy import can
from app.projects.models import ProjectRef

from ..querycount import count_queries
from .conftest import events


def test_a_message_costs_two_reads_and_one_insert(team):
    sock = team.joined(team.member)
    with count_queries() as queries:
        ack = team.say(sock, "counted")
    assert ack["ok"] is True
    lock = 1 if db.engine.dialect.name == "postgresql" else 0  # the per-project row lock
    # the connection's sign-in session (still there? account active?), then the caller's rights
    assert queries.count == 3 + lock, str(queries)
    assert "FROM user_sessions" in queries.statements[0]
    assert "INSERT INTO chat_messages" in queries.statements[-1]


def test_a_deactivated_user_cannot_send_on_an_open_connection(team):
    sock = team.joined(team.member)
    lead = team.joined(team.lead)
    team.member.active = False
    db.session.commit()
    ack = team.say(sock, "still here?")
    assert ack["ok"] is False and "permission" in ack["error"].lower()
    assert events(lead, "message") == []
    assert db.session.query(ChatMessage).count() == 0


def test_the_connection_remembers_its_user_until_it_closes(team):
    sock = team.socket(team.member)
    sid = sock.socketio.server.manager.sid_from_eio_sid(sock.eio_sid, "/")
    assert realtime.socket_user_id(sid) == team.member.id
    sock.disconnect()
    assert realtime.socket_user_id(sid) is None


def test_the_policy_judges_a_project_ref_like_the_project(team):
    ref = ProjectRef(team.project.id, team.slug)
    assert can(team.member, "project.contribute", ref)
    assert can(team.observer, "project.view", ref)
    assert not can(team.observer, "project.contribute", ref)
    assert not can(team.outsider, "project.view", ref)


def test_local_rate_window_slides():
    now = [100.0]
    window = LocalMovingWindow(2, 5, clock=lambda: now[0])
    assert [window.hit("u1"), window.hit("u1"), window.hit("u1")] == [True, True, False]
    assert window.hit("u2") is True  # per key
    now[0] += 4.9
    assert window.hit("u1") is False
    now[0] += 0.2  # the first two hits are now older than 5 s
    assert window.hit("u1") is True


def test_with_redis_one_window_is_shared_by_every_process(redis_url):
    from uuid import uuid4

    from limits import parse

    namespace = f"test-{uuid4().hex}"  # this test's own keys
    one, two = (RedisMovingWindow(redis_url, parse("2/minute"), namespace, "chat")
                for _ in range(2))
    assert [one.hit("u1"), two.hit("u1"), one.hit("u1")] == [True, True, False]
    assert two.hit("u2") is True
