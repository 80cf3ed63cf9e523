"""Helpers for chat tests against real server processes: sign in over HTTP, and a chat peer.

`ChatPeer` follows the client protocol of docs/realtime.md like static/js/chat.js does: it keeps a
view keyed by message id (duplicates dropped), re-joins with the last id it saw after every
reconnect, and resends a message whose ack never came with the same client_id.
"""
import re
import threading
import time
import uuid

import requests
import socketio


def sign_in(base_url: str, email: str, password: str) -> str:
    """Sign in through the login form (CSRF on) and return the Cookie header value."""
    session = requests.Session()
    form = session.get(base_url + "/auth/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    response = session.post(base_url + "/auth/login", timeout=10, allow_redirects=False,
                            data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.text[:300]
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


class ChatPeer:
    def __init__(self, name: str, cookie: str, slug: str, urls: list[str]):
        self.name, self.cookie, self.slug, self.urls = name, cookie, slug, urls
        self.view: dict[int, dict] = {}
        self.presence: list[dict] = []
        self.acked: dict[str, int] = {}
        self.changed = threading.Condition()
        self.client: socketio.Client | None = None
        self.joined = False
        self.url_index = 0
        self.connections = 0
        self.base_seq: int | None = None

    # -- connection ------------------------------------------------------------------------
    def _connect_once(self) -> None:
        client = socketio.Client(reconnection=False)
        client.on("message", self._on_message)
        client.on("presence", self._on_presence)
        client.on("disconnect", self._on_disconnect)
        client.connect(self.urls[self.url_index], headers={"Cookie": self.cookie},
                       transports=["websocket"], wait_timeout=5)
        self.client = client
        self.connections += 1
        while True:
            after = self.resume_point()
            ack = client.call("join", {"project": self.slug, "after": after}, timeout=5)
            assert ack["ok"], ack
            if self.base_seq is None:
                self.base_seq = min((m["seq"] for m in ack["messages"]), default=0)
            self._merge(ack["messages"])
            self._set_presence(ack["presence"])
            if not ack["more"] or after is None:
                break
        self.joined = True

    def resume_point(self) -> int | None:
        """The id up to which this peer has every message (seq has no gaps), to re-join after.

        Not simply the highest id seen: broadcasts from different processes may arrive out of
        order, so a peer can hold message 10 and still miss 9.
        """
        if self.base_seq is None:
            return None
        with self.changed:
            by_seq = {m["seq"]: m["id"] for m in self.view.values()}
        seq = self.base_seq if self.base_seq in by_seq else 0
        while seq + 1 in by_seq:
            seq += 1
        return by_seq.get(seq, 0)

    def ensure_joined(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not (self.joined and self.client and self.client.connected):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} could not reconnect")
            try:
                self._drop_client()
                self._connect_once()
            except Exception:  # noqa: BLE001 - server down: back off, maybe try the next one
                self.joined = False
                self.url_index = (self.url_index + 1) % len(self.urls)
                threading.Event().wait(0.2)

    def _drop_client(self) -> None:
        if self.client is not None:
            try:
                self.client.disconnect()
            except Exception:  # noqa: BLE001
                pass
            self.client = None

    def close(self) -> None:
        self.joined = False
        self._drop_client()

    # -- events ----------------------------------------------------------------------------
    def _on_disconnect(self, *_args):
        self.joined = False

    def _on_message(self, message):
        self._merge([message])

    def _on_presence(self, payload):
        self._set_presence(payload["online"])

    def _merge(self, messages):
        with self.changed:
            for message in messages:
                self.view.setdefault(message["id"], message)
            self.changed.notify_all()

    def _set_presence(self, online):
        with self.changed:
            self.presence = online
            self.changed.notify_all()

    def wait_for(self, predicate, timeout: float = 20) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout=timeout)

    # -- sending ---------------------------------------------------------------------------
    def send(self, body: str, timeout: float = 60) -> int:
        """Send until acknowledged, resending with the same client_id after failures."""
        client_id = str(uuid.uuid4())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.ensure_joined()
            try:
                ack = self.client.call("message", {"project": self.slug, "body": body,
                                                   "client_id": client_id}, timeout=3)
            except Exception:  # noqa: BLE001 - lost ack or connection: resend
                self.joined = False
                continue
            assert ack["ok"], ack
            self._merge([ack["message"]])
            with self.changed:
                self.acked[client_id] = ack["message"]["id"]
                self.changed.notify_all()
            return ack["message"]["id"]
        raise TimeoutError(f"{self.name}: {body!r} was never acknowledged")
