"""The socket contract of the chat, event by event, with the Flask-SocketIO test client."""
import pytest

from app.chat.models import ChatMessage
from app.core.signals import member_removed
from app.extensions import db
from app.projects.models import ProjectMember

from ..conftest import client_for, socket_client_for
from .conftest import events, new_client_id


def test_anonymous_connection_is_refused(app):
    sock = socket_client_for(app, app.test_client())
    assert not sock.is_connected()


def test_member_joins_and_gets_recent_messages_and_presence(team):
    first = team.joined(team.lead)
    team.say(first, "one")
    sock = team.socket(team.member)
    ack = sock.emit("join", {"project": team.slug, "after": None}, callback=True)
    assert ack["ok"] is True
    assert [m["body"] for m in ack["messages"]] == ["one"]
    assert ack["more"] is False
    assert {p["name"] for p in ack["presence"]} == {"Lea Lead", "Marco Member"}
    presence = events(first, "presence")
    assert presence and {p["id"] for p in presence[-1]["online"]} == {team.lead.id, team.member.id}


def test_join_after_returns_only_newer_messages_oldest_first(team):
    sock = team.joined(team.lead)
    ids = [team.say(sock, f"m{i}")["message"]["id"] for i in range(4)]
    ack = team.socket(team.member).emit("join", {"project": team.slug, "after": ids[1]}, callback=True)
    assert [m["id"] for m in ack["messages"]] == ids[2:]


def test_join_after_is_cut_at_500_with_more(team, monkeypatch):
    from app.chat import services

    monkeypatch.setattr(services, "AFTER_MAX", 3)
    monkeypatch.setattr(services.messages_after, "__defaults__", (None, 3))
    sock = team.joined(team.lead)
    ids = [team.say(sock, f"m{i}")["message"]["id"] for i in range(5)]
    ack = sock.emit("join", {"project": team.slug, "after": 0}, callback=True)
    assert [m["id"] for m in ack["messages"]] == ids[:3] and ack["more"] is True


@pytest.mark.parametrize("payload, reason", [
    (None, "object"), ("a-string", "object"), ({}, "project"), ({"project": 7}, "project"),
    ({"project": "no-such-project"}, "find"), ({"project": "SLUG", "after": "x"}, "after"),
    ({"project": "SLUG", "after": -1}, "after"),
])
def test_bad_join_payloads_are_refused_with_a_reason(team, payload, reason):
    if isinstance(payload, dict) and payload.get("project") == "SLUG":
        payload = {**payload, "project": team.slug}
    ack = team.socket(team.member).emit("join", payload, callback=True)
    assert ack["ok"] is False and reason in ack["error"].lower()


def test_outsider_cannot_join_and_receives_nothing(team):
    member = team.joined(team.member)
    outsider = team.socket(team.outsider)
    ack = outsider.emit("join", {"project": team.slug, "after": None}, callback=True)
    assert ack == {"ok": False, "error": ack["error"]} and ack["error"]
    outsider.get_received()
    team.say(member, "secret plans")
    assert events(outsider, "message") == []


def test_message_is_acked_after_commit_and_broadcast_to_the_room(team):
    lead, member = team.joined(team.lead), team.joined(team.member)
    client_id = new_client_id()
    ack = team.say(member, "Hello **all**", client_id)
    assert ack["ok"] is True
    message = ack["message"]
    assert set(message) == {"id", "seq", "project", "author", "body", "html", "created_at", "client_id",
                            "edited_at", "deleted"}
    assert message["author"] == {"id": team.member.id, "name": "Marco Member"}
    assert message["html"].strip() == "<p>Hello <strong>all</strong></p>"
    assert message["client_id"] == client_id and message["created_at"].endswith("Z")
    assert db.session.get(ChatMessage, message["id"]).body == "Hello **all**"
    assert events(lead, "message") == [message]
    assert events(member, "message") == [message]


def test_retry_with_same_client_id_returns_original_and_broadcasts_nothing(team):
    lead, member = team.joined(team.lead), team.joined(team.member)
    client_id = new_client_id()
    first = team.say(member, "only once", client_id)
    lead.get_received()
    again = team.say(member, "only once", client_id)
    assert again == first
    assert events(lead, "message") == []
    assert db.session.query(ChatMessage).count() == 1


def test_ids_increase_in_send_order_and_seq_counts_without_gaps(team):
    sock = team.joined(team.member)
    acks = [team.say(sock, str(i))["message"] for i in range(5)]
    ids = [m["id"] for m in acks]
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert [m["seq"] for m in acks] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("change, reason", [
    ({"body": ""}, "empty"), ({"body": "   "}, "empty"), ({"body": 42}, "text"),
    ({"body": None}, "text"), ({"body": "x" * 4001}, "4000"), ({"client_id": "not-a-uuid"}, "uuid"),
    ({"client_id": 5}, "uuid"), ({"project": "nope"}, "find"), ({"project": None}, "project"),
])
def test_bad_messages_are_refused_and_nothing_is_stored(team, change, reason):
    sock = team.joined(team.member)
    payload = {"project": team.slug, "body": "fine", "client_id": new_client_id(), **change}
    ack = sock.emit("message", payload, callback=True)
    assert ack["ok"] is False and reason in ack["error"].lower()
    assert db.session.query(ChatMessage).count() == 0


def test_body_of_exactly_4000_characters_is_accepted(team):
    assert team.say(team.joined(team.member), "y" * 4000)["ok"] is True


def test_observer_reads_but_cannot_send(team):
    observer = team.joined(team.observer)
    ack = team.say(observer, "may I?")
    assert ack["ok"] is False and "permission" in ack["error"].lower()
    team.say(team.joined(team.member), "visible to observers")
    assert [m["body"] for m in events(observer, "message")] == ["visible to observers"]


def test_outsider_cannot_send_even_without_joining(team):
    ack = team.say(team.socket(team.outsider), "let me in")
    assert ack["ok"] is False
    assert db.session.query(ChatMessage).count() == 0


def test_sending_faster_than_the_limit_is_told_to_slow_down(team):
    team.app.config["CHAT_RATE_LIMIT"] = "3/minute"
    sock = team.joined(team.member)
    acks = [team.say(sock, f"n{i}") for i in range(4)]
    assert [a["ok"] for a in acks] == [True, True, True, False]
    assert "slow down" in acks[-1]["error"].lower()
    # a retry of an acknowledged message is not a new message: still answered
    assert team.say(sock, "n0", acks[0]["message"]["client_id"])["ok"] is True


def test_history_pages_backwards(team):
    sock = team.joined(team.member)
    ids = [team.say(sock, f"h{i}")["message"]["id"] for i in range(6)]
    ack = sock.emit("history", {"project": team.slug, "before": ids[4], "limit": 2}, callback=True)
    assert [m["id"] for m in ack["messages"]] == ids[2:4]
    ack = sock.emit("history", {"project": team.slug, "before": None, "limit": 500}, callback=True)
    assert [m["id"] for m in ack["messages"]] == ids


@pytest.mark.parametrize("change, reason", [
    ({"before": "x"}, "before"), ({"limit": "ten"}, "limit"), ({"limit": 0}, "limit"),
    ({"project": "nope"}, "find"),
])
def test_bad_history_requests_are_refused(team, change, reason):
    sock = team.joined(team.member)
    ack = sock.emit("history", {"project": team.slug, "before": None, "limit": 10, **change},
                    callback=True)
    assert ack["ok"] is False and reason in ack["error"].lower()


def test_outsider_cannot_read_chat_history(team):
    team.say(team.joined(team.member), "private")
    ack = team.socket(team.outsider).emit("history", {"project": team.slug, "before": None},
                                          callback=True)
    assert ack["ok"] is False and "messages" not in ack


def test_author_edits_and_deletes_own_message_and_room_hears_it(team):
    lead, member = team.joined(team.lead), team.joined(team.member)
    message = team.say(member, "tpyo")["message"]
    lead.get_received()
    ack = member.emit("edit", {"project": team.slug, "id": message["id"], "body": "typo"},
                      callback=True)
    assert ack["ok"] and ack["message"]["body"] == "typo" and ack["message"]["edited_at"]
    assert events(lead, "message_updated")[0]["body"] == "typo"
    ack = member.emit("delete", {"project": team.slug, "id": message["id"]}, callback=True)
    assert ack["ok"] and ack["message"]["deleted"] is True and ack["message"]["body"] == ""
    assert events(lead, "message_deleted")[0]["id"] == message["id"]
    assert db.session.get(ChatMessage, message["id"]).body == ""


def test_nobody_edits_or_deletes_someone_elses_message(team):
    member, lead = team.joined(team.member), team.joined(team.lead)
    message = team.say(member, "mine")["message"]
    for event, extra in (("edit", {"body": "hijacked"}), ("delete", {})):
        ack = lead.emit(event, {"project": team.slug, "id": message["id"], **extra}, callback=True)
        assert ack["ok"] is False and "permission" in ack["error"].lower()
    assert db.session.get(ChatMessage, message["id"]).body == "mine"


@pytest.mark.parametrize("event, change, reason", [
    ("edit", {"id": "1"}, "number"), ("edit", {"id": 999999}, "exist"),
    ("edit", {"body": ""}, "empty"), ("delete", {"id": None}, "number"),
    ("delete", {"id": 999999}, "exist"),
])
def test_bad_edits_and_deletes_are_refused(team, event, change, reason):
    sock = team.joined(team.member)
    message = team.say(sock, "original")["message"]
    payload = {"project": team.slug, "id": message["id"], "body": "changed", **change}
    ack = sock.emit(event, payload, callback=True)
    assert ack["ok"] is False and reason in ack["error"].lower()


def test_typing_reaches_others_and_is_throttled(team):
    lead, member = team.joined(team.lead), team.joined(team.member)
    assert member.emit("typing", {"project": team.slug}, callback=True) == {"ok": True}
    assert member.emit("typing", {"project": team.slug}, callback=True)["throttled"] is True
    assert events(lead, "typing") == [{"project": team.slug,
                                       "user": {"id": team.member.id, "name": "Marco Member"}}]
    assert events(member, "typing") == []
    assert team.socket(team.outsider).emit("typing", {"project": team.slug}, callback=True)["ok"] is False


def test_leave_stops_delivery_and_updates_presence(team):
    lead, member = team.joined(team.lead), team.joined(team.member)
    assert member.emit("leave", {"project": team.slug}, callback=True) == {"ok": True}
    assert [p["id"] for p in events(lead, "presence")[-1]["online"]] == [team.lead.id]
    team.say(lead, "anyone?")
    assert events(member, "message") == []
    assert member.emit("leave", {"project": "nope"}, callback=True)["ok"] is False


def test_disconnect_updates_presence(team):
    lead, member = team.joined(team.lead), team.joined(team.member)
    member.disconnect()
    assert [p["id"] for p in events(lead, "presence")[-1]["online"]] == [team.lead.id]


def test_removed_member_stops_receiving_at_once_and_cannot_send(team):
    lead, member = team.joined(team.lead), team.joined(team.member)
    db.session.query(ProjectMember).filter_by(user_id=team.member.id).delete()
    db.session.commit()
    with team.app.test_request_context():
        member_removed.send(team.project, project=team.project, actor=team.lead, user=team.member)
    assert events(member, "removed") == [{"project": team.slug}]
    team.say(lead, "after the removal")
    assert events(member, "message") == []
    assert team.say(member, "still here?")["ok"] is False
    assert member.emit("join", {"project": team.slug}, callback=True)["ok"] is False
    assert [p["id"] for p in events(lead, "presence")[-1]["online"]] == [team.lead.id]


def test_member_removed_without_signal_is_dropped_on_next_event(team):
    lead, member = team.joined(team.lead), team.joined(team.member)
    db.session.query(ProjectMember).filter_by(user_id=team.member.id).delete()
    db.session.commit()
    assert team.say(member, "hello?")["ok"] is False
    team.say(lead, "not for you")
    assert events(member, "message") == []


def test_read_marker_and_unread_count(team):
    from app.chat.services import unread_count_for

    member, lead = team.joined(team.member), team.joined(team.lead)
    team.say(member, "one")
    team.say(member, "two")
    assert unread_count_for(team.lead, team.project) == 2
    assert unread_count_for(team.member, team.project) == 0
    last = team.say(member, "three")["message"]["id"]
    assert lead.emit("read", {"project": team.slug, "id": last}, callback=True) == {"ok": True}
    assert unread_count_for(team.lead, team.project) == 0


def test_chat_page_shows_the_room_to_members_only(team):
    page = client_for(team.app, team.member).get(f"/projects/{team.slug}/chat")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-chat' in html and 'aria-live="polite"' in html and "<h1>" in html
    assert client_for(team.app, team.outsider).get(f"/projects/{team.slug}/chat").status_code == 404


def test_unread_count_for_the_chat_tab_badge(team):
    member = team.joined(team.member)
    team.say(member, "one")
    team.say(member, "two")
    lead = client_for(team.app, team.lead)
    page = lead.get(f"/projects/{team.slug}/").get_data(as_text=True)
    assert f'data-chat-unread-url="/projects/{team.slug}/chat/unread"' in page
    assert lead.get(f"/projects/{team.slug}/chat/unread").get_json() == {"unread": 2}
    own = client_for(team.app, team.member).get(f"/projects/{team.slug}/chat/unread")
    assert own.get_json() == {"unread": 0}
    outsider = client_for(team.app, team.outsider).get(
        f"/projects/{team.slug}/chat/unread", headers={"Accept": "application/json"})
    assert outsider.status_code == 404


def test_presence_of_a_burst_of_joins_is_coalesced_into_one_broadcast(team):
    import time

    team.app.config["CHAT_PRESENCE_DELAY"] = 0.3
    lead = team.joined(team.lead)
    for person in (team.member, team.observer):
        team.socket(person).emit("join", {"project": team.slug}, callback=True)
    seen, deadline = [], time.monotonic() + 10
    while not (seen and len(seen[-1]["online"]) == 3) and time.monotonic() < deadline:
        seen += events(lead, "presence")
        threading_wait(0.05)
    assert len(seen[-1]["online"]) == 3
    assert len(seen) <= 2  # the lead's own join, then one for the other two


def threading_wait(seconds):
    import threading

    threading.Event().wait(seconds)


def test_member_removed_through_the_members_page_is_cut_off_at_once(team):
    lead, member = team.joined(team.lead), team.joined(team.member)
    response = client_for(team.app, team.lead).post(
        f"/projects/{team.slug}/members/{team.member.id}/remove")
    assert response.status_code in (302, 303)
    assert events(member, "removed") == [{"project": team.slug}]
    team.say(lead, "after the removal")
    assert events(member, "message") == []
    assert team.say(member, "still here?")["ok"] is False
