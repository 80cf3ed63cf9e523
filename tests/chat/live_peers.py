"""Helpers for chat tests against real server processes: sign in over HTTP, and a chat peer.

`ChatPeer` follows the client protocol of docs/realtime.md like static/js/chat.js does: it keeps a
view keyed by message id (duplicates dropped), re-joins from its resume point after every
reconnect, on `resync`, and when a gap in seq stays unfilled for GAP_WAIT seconds; a join answered
with `retry` is tried again; a message whose ack never came is resent with the same client_id.
"""
import re
import threading
import time
import uuid

import requests
import socketio

#: Seconds a gap in seq may stay open (a late broadcast may still fill it) before a re-join.
GAP_WAIT = 3.0


def sign_in(base_url: str, email: str, password: str) -> str:
    """Sign in through the login form (CSRF on) and return the Cookie header value."""
    session = requests.Session()
    form = session.get(base_url + "/auth/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    response = session.post(base_url + "/auth/login", timeout=10, allow_redirects=False,
                            data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.text[:300]
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def signed_in_team(server, people: int, prefix: str = "Person") -> tuple[str, list[str]]:
    """A project of `people` on a live server (the first leads it), each signed in through the
    login form: returns its slug and one Cookie header value per person."""
    from app.extensions import db
    from tests.factories import DEFAULT_PASSWORD, make_project, make_user

    with server.app().app_context():
        users = [make_user(f"{prefix} {n}") for n in range(people)]
        project = make_project(lead=users[0], members={"member": users[1:]})
        slug, emails = project.slug, [u.email for u in users]
        db.session.remove()
    return slug, [sign_in(server.url, email, DEFAULT_PASSWORD) for email in emails]


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
        self.rejoins = 0  # re-joins on a connection that stayed up (gap or resync)
        self._join_lock = threading.Lock()
        self._gap_timer: threading.Timer | None = None

    # -- connection ------------------------------------------------------------------------
    def _connect_once(self) -> None:
        client = socketio.Client(reconnection=False)
        client.on("message", self._on_message)
        client.on("presence", self._on_presence)
        client.on("disconnect", self._on_disconnect)
        client.on("resync", self._on_resync)
        client.connect(self.urls[self.url_index], headers={"Cookie": self.cookie},
                       transports=["websocket"], wait_timeout=5)
        self.client = client
        self.connections += 1
        self._join(client)
        self.joined = True

    def _join(self, client) -> None:
        """Join (or re-join) from the resume point until nothing more is missing."""
        with self._join_lock:
            while True:
                after = self.resume_point()
                ack = client.call("join", {"project": self.slug, "after": after}, timeout=10)
                assert ack["ok"], ack  # `retry` (busy, starting): ensure_joined tries again
                if self.base_seq is None:
                    self.base_seq = min((m["seq"] for m in ack["messages"]), default=0)
                self._merge(ack["messages"])
                self._set_presence(ack["presence"])
                if not ack["more"] or after is None:
                    break

    def _rejoin(self) -> None:
        """Re-join on the open connection (a gap stayed open, or the server asked to resync)."""
        client = self.client
        if not (self.joined and client and client.connected):
            return  # the reconnect re-joins anyway
        try:
            self._join(client)
            self.rejoins += 1
        except Exception:  # noqa: BLE001 - the connection failed: ensure_joined reconnects
            self.joined = False

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
        if self._gap_timer is not None:
            self._gap_timer.cancel()
        self._drop_client()

    # -- events ----------------------------------------------------------------------------
    def _on_disconnect(self, *_args):
        self.joined = False

    def _on_message(self, message):
        self._merge([message])

    def _on_resync(self, *_args):
        # Handlers run on the client's reader thread, which must stay free to read the ack.
        threading.Thread(target=self._rejoin, daemon=True).start()

    def has_gap(self) -> bool:
        """Is a message missing below the highest id held? (Like chat.js's `hasGap`.)"""
        after = self.resume_point()
        with self.changed:
            highest = max(self.view, default=None)
        return after is not None and highest is not None and after < highest

    def _watch_gaps(self) -> None:
        if GAP_WAIT == float("inf"):  # healing turned off (bench/chat_chaos.py --no-heal)
            return
        if self._gap_timer is not None and self._gap_timer.is_alive():
            return
        if self.has_gap():
            self._gap_timer = threading.Timer(GAP_WAIT, self._fill_gap)
            self._gap_timer.daemon = True
            self._gap_timer.start()

    def _fill_gap(self) -> None:
        if self.has_gap():
            self._rejoin()

    def _on_presence(self, payload):
        self._set_presence(payload["online"])

    def _merge(self, messages):
        with self.changed:
            for message in messages:
                self.view.setdefault(message["id"], message)
            self.changed.notify_all()
        if messages and self.base_seq is not None:
            self._watch_gaps()

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


def close_all(peers) -> None:
    """Close several peers at once: a client's `disconnect` waits for the server to end its
    websocket, about 3 s each under gevent, so one after another a dozen took 40 s."""
    closers = [threading.Thread(target=peer.close) for peer in peers]
    for closer in closers:
        closer.start()
    for closer in closers:
        closer.join()
