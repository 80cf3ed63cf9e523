"""Property: three editors typing at once, updates delivered late and in any order, connections
dropping and coming back, all end with the server's text, and the stored state (reloaded from
the database as after a restart) is that same text.

Every change goes through the real socket handlers (Flask-SocketIO's test client): a client keeps
what it typed until the ack, applies what it receives in a shuffled order, and on reconnect does
what the browser does: `doc_join` with its state vector, then one `doc_update` holding
everything the server lacks.
"""
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Text

from app.documents import services
from app.documents.coedit import state
from app.documents.models import Document
from app.extensions import db

from .conftest import b64, unb64

ALPHABET = "ab \n"


class Client:
    def __init__(self, team, user, doc_id):
        self.team, self.user, self.doc_id = team, user, doc_id
        self.doc = Doc()
        self.text = self.doc.get("body", type=Text)
        self.outbox: list[bytes] = []   # typed, not yet sent
        self.inbox: list[bytes] = []    # received, not yet applied
        self.sock = None
        self.connect()

    def emit(self, event, **fields):
        return self.sock.emit(event, {"project": self.team.slug, "doc": self.doc_id, **fields},
                              callback=True)

    def connect(self):
        self.sock = self.team.socket(self.user)
        vector = self.doc.get_state()
        ack = self.emit("doc_join", state_vector=b64(vector))
        assert ack["ok"], ack
        self.doc.apply_update(unb64(ack["update"]))
        missing = self.doc.get_update(unb64(ack["state_vector"]))
        assert self.emit("doc_update", update=b64(missing), client_id=str(uuid.uuid4()))["ok"]
        self.outbox.clear()  # everything the server lacked just went in one update

    def disconnect(self):
        self.sock.disconnect()
        self.sock = None
        self.inbox.clear()  # what was in flight to a dropped connection is lost

    def edit(self, position: int, insert: str, delete: int):
        before = self.doc.get_state()
        position = min(position, len(self.text))
        if delete:
            del self.text[position:min(position + delete, len(self.text))]
        if insert:
            self.text.insert(position, insert)
        update = self.doc.get_update(before)
        if update != b"\x00\x00":
            self.outbox.append(update)

    def send_one(self, index: int):
        if self.sock is None or not self.outbox:
            return
        update = self.outbox.pop(index % len(self.outbox))  # out of order
        ack = self.emit("doc_update", update=b64(update), client_id=str(uuid.uuid4()))
        assert ack["ok"], ack

    def collect(self):
        if self.sock is not None:
            self.inbox += [unb64(item["args"][0]["update"]) for item in self.sock.get_received()
                           if item["name"] == "doc_update"]

    def deliver_one(self, index: int):
        self.collect()
        if self.inbox:
            self.doc.apply_update(self.inbox.pop(index % len(self.inbox)))

    def settle(self):
        if self.sock is None:
            self.connect()
        while self.outbox:
            self.send_one(0)


STEP = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, 40),
              st.text(ALPHABET, max_size=4), st.integers(0, 3)),
    st.tuples(st.just("send"), st.integers(0, 2), st.integers(0, 10)),
    st.tuples(st.just("deliver"), st.integers(0, 2), st.integers(0, 10)),
    st.tuples(st.just("drop"), st.integers(0, 2)),
    st.tuples(st.just("back"), st.integers(0, 2)),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=5, max_size=40))
def test_three_editors_converge_and_the_stored_state_equals_the_servers(team, app, steps):
    document = services.create_document(team.lead, team.project, title="Route",
                                        body="Room one\nRoom two\n")
    doc_id = document.id
    clients = [Client(team, user, doc_id) for user in (team.lead, team.member, team.member)]
    for step in steps:
        client = clients[step[1]]
        if step[0] == "edit":
            client.edit(step[2], step[3], step[4])
        elif step[0] == "send":
            client.send_one(step[2])
        elif step[0] == "deliver":
            client.deliver_one(step[2])
        elif step[0] == "drop" and client.sock is not None:
            client.disconnect()
        elif step[0] == "back" and client.sock is None:
            client.connect()
    for client in clients:
        client.settle()
    for client in clients:
        client.collect()
        while client.inbox:
            client.deliver_one(0)
        ack = client.emit("doc_sync", state_vector=b64(client.doc.get_state()))
        client.doc.apply_update(unb64(ack["update"]))
    with app.app_context():
        server_text = state.get_open(doc_id).body
        assert [str(c.text) for c in clients] == [server_text] * 3
        state.release(doc_id)  # a restart: the next open reads the database only
        reloaded = state.open_document(db.session.get(Document, doc_id))
        assert reloaded.body == server_text
        state.release(doc_id)
    for client in clients:
        if client.sock is not None:
            client.sock.disconnect()
