"""Malformed co-editing payloads: `ok: false` with a readable (translated) message, nothing stored."""
import base64
import os

import pytest
from pycrdt import Doc, Text

from app.documents.coedit import store
from app.extensions import db

from .conftest import b64


def _stored(app, doc_id) -> list:
    with app.app_context():
        return store.updates_after(doc_id, 0)


def _valid_update() -> str:
    doc = Doc()
    doc.get("body", type=Text).insert(0, "x")
    return b64(doc.get_update())


BAD = [
    ("doc_update", {"update": 42}),
    ("doc_update", {"update": None}),
    ("doc_update", {"update": ["AAAA"]}),
    ("doc_update", {"update": "not base64!!"}),
    ("doc_update", {"update": "QUJD="}),                             # bad padding
    ("doc_update", {"update": ""}),                                  # empty
    ("doc_update", {"update": b64(b"\xff\xff\xff\xff\xff\xff")}),   # not an update
    ("doc_update", {"update": b64(b"\x01\x02\x03")}),               # truncated
    ("doc_update", {"update": _valid_update(), "client_id": 7}),
    ("doc_update", {"update": _valid_update(), "client_id": "c" * 65}),
    ("doc_join", {"state_vector": 12}),
    ("doc_join", {"state_vector": "%%%"}),
    ("doc_join", {"state_vector": b64(b"\xff\xff\xff")}),
    ("doc_sync", {"state_vector": 3.5}),
    ("doc_sync", {"state_vector": b64(b"\x05\x01")}),
    ("awareness", {"update": {"a": 1}}),
    ("awareness", {"update": "@@@"}),
    ("doc_save_version", {"summary": 5}),
    ("doc_save_version", {"summary": "s" * 301}),
]


@pytest.mark.parametrize("event,payload", BAD, ids=[f"{e}-{i}" for i, (e, _p) in enumerate(BAD)])
def test_a_malformed_payload_is_refused_and_nothing_is_stored(team, app, event, payload):
    anna = team.editor(team.member)
    assert anna.join()["ok"]
    ack = anna.emit(event, **payload)
    assert ack["ok"] is False, ack
    assert isinstance(ack["error"], str) and ack["error"]
    assert _stored(app, team.doc_id) == []


@pytest.mark.parametrize("payload", [None, "doc", 5, [], {"project": 3, "doc": 1},
                                     {"doc": "1"}, {"doc": True}, {"doc": 2**40}])
@pytest.mark.parametrize("event", ["doc_join", "doc_sync", "doc_update", "awareness",
                                   "doc_leave", "doc_save_version"])
def test_payloads_that_name_no_document_are_refused(team, event, payload):
    sock = team.socket(team.member)
    if isinstance(payload, dict) and "project" not in payload:
        payload = {"project": team.slug, **payload}
    ack = sock.emit(event, payload, callback=True)
    assert ack["ok"] is False and ack["error"]


def test_an_update_over_the_size_limit_is_refused_unread(team, app):
    app.config["COEDIT_MAX_UPDATE_BYTES"] = 1024
    anna = team.editor(team.member)
    anna.join()
    huge = anna.type(0, "x" * 5000)
    ack = anna.send(huge)
    assert ack["ok"] is False and "1024" in ack["error"]
    raw = base64.b64encode(os.urandom(4000)).decode()
    assert anna.emit("doc_update", update=raw)["ok"] is False
    assert _stored(app, team.doc_id) == []


def test_refusals_are_in_the_readers_language(team, app):
    with app.app_context():
        user = db.session.merge(team.member)
        user.locale = "it"
        db.session.commit()
    anna = team.editor(team.member)
    anna.join()
    ack = anna.emit("doc_update", update="not base64!!")
    assert ack == {"ok": False, "error": "Questo non è base64 valido."}
    olga = team.editor(team.observer)
    olga.join()
    assert olga.send(olga.type(0, "x"))["ok"] is False


def test_each_event_counts_against_its_own_rate_limit(team, app):
    """The socket guard counts co-editing events with the shared per-user counter
    (app.core.ratelimit), each setting separately and per person."""
    app.config["COEDIT_SYNC_RATE_LIMIT"] = "2/minute"
    anna = team.editor(team.member)
    assert anna.join()["ok"]
    acks = [anna.emit("doc_sync", state_vector=None) for _ in range(3)]
    assert [a["ok"] for a in acks] == [True, True, False]
    assert "slow down" in acks[-1]["error"].lower() and acks[-1]["retry"] is True
    assert anna.send(anna.type(0, "x"))["ok"] is True     # another event, its own limit
    lea = team.editor(team.lead)
    assert lea.join()["ok"] and lea.emit("doc_sync", state_vector=None)["ok"]
