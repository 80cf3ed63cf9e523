"""A co-editor against a real server process: python-socketio and a pycrdt Doc.

It does what the browser does (the contract in docs/realtime.md, "Co-editing"): join with its
state vector, apply what it receives, keep every update it sent until its ack, and on reconnect
join again and send everything the server lacks in one update.
"""
import base64
import threading
import uuid

import socketio
from pycrdt import Doc, Text


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class LiveEditor:
    def __init__(self, cookie: str, slug: str, doc_id: int):
        self.cookie, self.slug, self.doc_id = cookie, slug, doc_id
        self.doc = Doc()
        self.text = self.doc.get("body", type=Text)
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.acked: list[str] = []     # tokens whose update the server acknowledged
        self.client: socketio.Client | None = None

    def connect(self, url: str) -> dict:
        client = socketio.Client(reconnection=False)

        @client.on("doc_update")
        def on_update(payload):
            with self.changed:
                self.doc.apply_update(base64.b64decode(payload["update"]))
                self.changed.notify_all()

        client.connect(url, headers={"Cookie": self.cookie}, transports=["websocket"],
                       wait_timeout=20)
        self.client = client
        with self.lock:
            vector = self.doc.get_state()
        ack = client.call("doc_join", {"project": self.slug, "doc": self.doc_id,
                                       "state_vector": b64(vector)}, timeout=30)
        assert ack["ok"], ack
        with self.changed:
            self.doc.apply_update(base64.b64decode(ack["update"]))
            missing = self.doc.get_update(base64.b64decode(ack["state_vector"]))
            self.changed.notify_all()
        resent = client.call("doc_update", {"project": self.slug, "doc": self.doc_id,
                                            "update": b64(missing), "client_id": "resync"},
                             timeout=30)
        assert resent["ok"], resent
        return ack

    def type_token(self, token: str, send: bool = True) -> bool:
        """Append `token` locally and send it; True once acknowledged (stored)."""
        with self.lock:
            before = self.doc.get_state()
            self.text.insert(len(self.text), token)
            update = self.doc.get_update(before)
        if not send or self.client is None:
            return False
        try:
            ack = self.client.call("doc_update", {"project": self.slug, "doc": self.doc_id,
                                                  "update": b64(update),
                                                  "client_id": str(uuid.uuid4())}, timeout=10)
        except Exception:  # the server died before answering: not acknowledged
            return False
        if ack.get("ok"):
            self.acked.append(token)
            return True
        return False

    def body(self) -> str:
        with self.lock:
            return str(self.text)

    def wait_for(self, predicate, timeout: float = 20) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(str(self.text)), timeout)

    def disconnect(self) -> None:
        if self.client is not None:
            try:
                self.client.disconnect()
            except Exception:
                pass
            self.client = None
