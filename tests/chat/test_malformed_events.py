"""Hostile socket payloads: ids beyond the database's range, control characters, invalid
Unicode, and the per-event rate limits. Each answers a readable `ok: false`, never a traceback."""
import logging

import pytest

from app.chat.models import ChatMessage
from app.extensions import db

from .conftest import events, new_client_id

HUGE = 10**20


@pytest.fixture
def tracebacks(caplog):
    """Log records that carry a traceback (an exception escaped into the handler's catch-all)."""
    caplog.set_level(logging.ERROR)
    return lambda: [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("event, payload", [
    ("join", {"after": HUGE}), ("join", {"after": -HUGE}), ("history", {"before": HUGE}),
    ("edit", {"id": HUGE, "body": "x"}), ("delete", {"id": HUGE}), ("read", {"id": HUGE}),
    ("edit", {"id": 2**63, "body": "x"}), ("delete", {"id": 2**31}), ("read", {"id": 2**63}),
])
def test_ids_beyond_the_database_range_are_refused_readably(team, tracebacks, event, payload):
    sock = team.joined(team.member)
    ack = sock.emit(event, {"project": team.slug, **payload}, callback=True)
    assert ack["ok"] is False
    assert "went wrong" not in ack["error"] and ack["error"]
    assert tracebacks() == []


def test_a_join_refused_for_its_after_leaves_the_caller_outside_the_room(team, tracebacks):
    sock = team.socket(team.member)
    ack = sock.emit("join", {"project": team.slug, "after": HUGE}, callback=True)
    assert ack["ok"] is False
    team.say(team.joined(team.lead), "not for you")
    assert events(sock, "message") == []
    assert tracebacks() == []


def test_a_join_that_fails_unexpectedly_leaves_the_caller_outside_the_room(team, monkeypatch):
    from app.chat import services

    def broken(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "messages_after", broken)
    sock = team.socket(team.member)
    ack = sock.emit("join", {"project": team.slug, "after": None}, callback=True)
    assert ack["ok"] is False
    monkeypatch.undo()
    team.say(team.joined(team.lead), "not for you")
    assert events(sock, "message") == []
    assert events(sock, "presence") == []


@pytest.mark.parametrize("body", ["\x00", "a\x00b", "\x1b[31mred", "bell\x07", "\x7f", "\x85",
                                  "\udc80", "ok \ud800 then"])
def test_bodies_with_control_characters_or_invalid_unicode_are_refused(team, tracebacks, body):
    sock = team.joined(team.member)
    ack = team.say(sock, body)
    assert ack["ok"] is False and "went wrong" not in ack["error"]
    stored = team.say(sock, "fine")["message"]["id"]
    ack = sock.emit("edit", {"project": team.slug, "id": stored, "body": body}, callback=True)
    assert ack["ok"] is False and "went wrong" not in ack["error"]
    assert [m.body for m in db.session.query(ChatMessage)] == ["fine"]
    assert tracebacks() == []


def test_newlines_and_tabs_are_still_welcome(team):
    ack = team.say(team.joined(team.member), "line one\n\tindented\r\nline three")
    assert ack["ok"] is True
    assert ack["message"]["body"] == "line one\n\tindented\nline three"


@pytest.mark.parametrize("event", ["join", "leave", "message", "history", "edit", "delete",
                                   "read", "typing"])
@pytest.mark.parametrize("slug", ["\udc80", "bad\x00slug", "\ud83d"])
def test_bad_slugs_are_refused_on_every_event(team, tracebacks, event, slug):
    sock = team.socket(team.member)
    ack = sock.emit(event, {"project": slug, "id": 1, "body": "x", "client_id": new_client_id()},
                    callback=True)
    assert ack["ok"] is False and "went wrong" not in ack["error"]
    assert tracebacks() == []


@pytest.mark.parametrize("event, setting, payload", [
    ("join", "CHAT_JOIN_RATE_LIMIT", {"after": None}),
    ("history", "CHAT_HISTORY_RATE_LIMIT", {"before": None}),
    ("edit", "CHAT_EDIT_RATE_LIMIT", {"body": "changed"}),
    ("delete", "CHAT_DELETE_RATE_LIMIT", {}),
    ("typing", "CHAT_TYPING_RATE_LIMIT", {}),
    ("read", "CHAT_READ_RATE_LIMIT", {}),
])
def test_every_event_has_its_own_rate_limit(team, event, setting, payload):
    sock = team.joined(team.member)
    message_id = team.say(sock, "mine")["message"]["id"]
    team.app.config[setting] = "3/minute"
    acks = [sock.emit(event, {"project": team.slug, "id": message_id, **payload}, callback=True)
            for _ in range(4)]
    assert [a["ok"] for a in acks] == [True, True, True, False]
    assert "slow down" in acks[-1]["error"].lower()
    assert acks[-1]["retry"] is True  # clients try again later (chat.js re-joins after a back-off)
    # the other events are not affected, nor are other people
    assert team.say(sock, "still here")["ok"] is True
    other = team.joined(team.observer)
    assert other.emit("history", {"project": team.slug}, callback=True)["ok"] is True


def test_limits_are_off_with_rate_limiting(team):
    team.app.config.update(RATELIMIT_ENABLED=False, CHAT_HISTORY_RATE_LIMIT="1/minute")
    sock = team.joined(team.member)
    acks = [sock.emit("history", {"project": team.slug}, callback=True) for _ in range(3)]
    assert all(a["ok"] for a in acks)
