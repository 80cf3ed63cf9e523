"""Every co-editing event × every kind of person: who may follow a document, who may change it.

Anonymous connections are refused by the Socket.IO connect itself. A member removed from the
project is refused like an outsider (and the document room no longer reaches them).
"""
import base64

import pytest
from flask_socketio import SocketIOTestClient
from pycrdt import Doc, Text

from app.extensions import socketio
from app.projects import members

from ..conftest import client_for, socket_client_for
from ..factories import make_project, make_user

PEOPLE = ("outsider", "observer", "mentor", "member", "lead", "removed")
FOLLOW = {"outsider": False, "observer": True, "mentor": True, "member": True, "lead": True,
          "removed": False}
CHANGE = {"outsider": False, "observer": False, "mentor": False, "member": True, "lead": True,
          "removed": False}


def _update() -> str:
    doc = Doc()
    doc.get("body", type=Text).insert(0, "typed ")
    return base64.b64encode(doc.get_update()).decode()


EVENTS = {
    "doc_join": (FOLLOW, lambda: {"state_vector": None}),
    "doc_sync": (FOLLOW, lambda: {"state_vector": base64.b64encode(b"\x00").decode()}),
    "awareness": (FOLLOW, lambda: {"update": base64.b64encode(b"\x01\x00").decode()}),
    "doc_leave": (FOLLOW, lambda: {}),
    "doc_update": (CHANGE, lambda: {"update": _update(), "client_id": "c-1"}),
    "doc_save_version": (CHANGE, lambda: {"summary": "A version"}),
    "doc_list_join": (FOLLOW, lambda: {}),
}


@pytest.fixture
def world(app):
    from app.documents import services

    people = {name: make_user(name.title()) for name in PEOPLE}
    lead = people["lead"]
    project = make_project(lead=lead, members={
        "member": [people["member"], people["removed"]], "observer": [people["observer"]],
        "mentor": [people["mentor"]]})
    document = services.create_document(lead, project, title="Labels", body="Room 1\n")
    members.remove_member(lead, project, people["removed"].id)
    return app, people, project.slug, document.id


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_anonymous_cannot_even_connect(app, event):
    sock = SocketIOTestClient(app, socketio, flask_test_client=app.test_client())
    assert not sock.is_connected()


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("event", sorted(EVENTS))
def test_event_matrix(world, event, who):
    app, people, slug, doc_id = world
    allowed, payload = EVENTS[event]
    sock = socket_client_for(app, client_for(app, people[who]))
    ack = sock.emit(event, {"project": slug, "doc": doc_id, **payload()}, callback=True)
    assert ack["ok"] is allowed[who], (event, who, ack)
    if not allowed[who]:
        assert isinstance(ack["error"], str) and ack["error"]
