"""Co-editing test helpers: a team in a project with one document, pycrdt clients on sockets."""
import base64
import uuid

import pytest
from pycrdt import Doc, Text

from app.documents import services
from app.projects import members

from ..conftest import client_for, socket_client_for
from ..factories import make_project, make_user

BODY = "# Visitor route\n\nStart in the courtyard.\n"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text)


class Editor:
    """A simulated browser: a pycrdt Doc bound to one socket, sending what it types."""

    def __init__(self, team, user):
        self.team, self.user = team, user
        self.sock = team.socket(user)
        self.doc = Doc()
        self.text = self.doc.get("body", type=Text)
        self.unacked: list[bytes] = []

    def emit(self, event, **fields):
        return self.sock.emit(event, {"project": self.team.slug, "doc": self.team.doc_id,
                                      **fields}, callback=True)

    def join(self):
        vector = self.doc.get_state() if len(self.text) or self.unacked else None
        ack = self.emit("doc_join", state_vector=b64(vector) if vector else None)
        if ack.get("ok"):
            self.doc.apply_update(unb64(ack["update"]))
        return ack

    def type(self, index: int, chars: str) -> bytes:
        before = self.doc.get_state()
        self.text.insert(min(index, len(self.text)), chars)
        return self.doc.get_update(before)

    def delete(self, index: int, count: int) -> bytes:
        before = self.doc.get_state()
        index = min(index, len(self.text))
        del self.text[index:min(index + count, len(self.text))]
        return self.doc.get_update(before)

    def send(self, update: bytes):
        return self.emit("doc_update", update=b64(update), client_id=str(uuid.uuid4()))

    def receive(self) -> list[dict]:
        got = self.sock.get_received()
        for item in got:
            if item["name"] == "doc_update":
                self.doc.apply_update(unb64(item["args"][0]["update"]))
        return got


class CoeditTeam:
    def __init__(self, app):
        self.app = app
        app.config["CHAT_PRESENCE_DELAY"] = 0
        for setting in ("COEDIT_JOIN_RATE_LIMIT", "COEDIT_SYNC_RATE_LIMIT",
                        "COEDIT_UPDATE_RATE_LIMIT"):  # the property test joins again and again
            app.config[setting] = "100000/minute"
        self.lead = make_user("Lea Lead")
        self.member = make_user("Marco Member")
        self.observer = make_user("Olga Observer")
        self.outsider = make_user("Otto Outsider")
        self.project = make_project(lead=self.lead, members={"member": [self.member],
                                                             "observer": [self.observer]})
        self.slug = self.project.slug
        self.document = services.create_document(self.lead, self.project, title="Route",
                                                 body=BODY)
        self.doc_id = self.document.id
        self._http = {}

    def socket(self, user):
        if user.id not in self._http:  # one sign-in per person (the sign-in rate limit)
            self._http[user.id] = client_for(self.app, user)
        sock = socket_client_for(self.app, self._http[user.id])
        assert sock.is_connected()
        return sock

    def editor(self, user) -> Editor:
        return Editor(self, user)

    def remove(self, user):
        members.remove_member(self.lead, self.project, user.id)


@pytest.fixture
def team(app):
    return CoeditTeam(app)
