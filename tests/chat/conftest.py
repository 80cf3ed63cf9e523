"""Chat test helpers: a team in a project and signed-in socket clients for each person."""
import uuid

import pytest

from ..conftest import client_for, socket_client_for
from ..factories import make_project, make_user


def new_client_id() -> str:
    return str(uuid.uuid4())


class Team:
    def __init__(self, app):
        self.app = app
        app.config["CHAT_PRESENCE_DELAY"] = 0  # presence at once, so tests read it synchronously
        self.lead = make_user("Lea Lead")
        self.member = make_user("Marco Member")
        self.observer = make_user("Olga Observer")
        self.outsider = make_user("Otto Outsider")
        self.project = make_project(lead=self.lead, members={"member": [self.member],
                                                             "observer": [self.observer]})
        self.slug = self.project.slug

    def socket(self, user):
        sock = socket_client_for(self.app, client_for(self.app, user))
        assert sock.is_connected()
        return sock

    def joined(self, user, after=None):
        sock = self.socket(user)
        ack = sock.emit("join", {"project": self.slug, "after": after}, callback=True)
        assert ack["ok"], ack
        sock.get_received()
        return sock

    def say(self, sock, body="Hello", client_id=None):
        return sock.emit("message", {"project": self.slug, "body": body,
                                     "client_id": client_id or new_client_id()}, callback=True)


def events(sock, name):
    """Payloads of the `name` events received (the test client unwraps `message` itself)."""
    return [item["args"] if name == "message" else item["args"][0]
            for item in sock.get_received() if item["name"] == name]


@pytest.fixture
def team(app):
    return Team(app)
