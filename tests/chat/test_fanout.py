"""The lean broadcast (app/core/fanout.py) against a real eventlet server and real sockets.

A burst of messages into a room reaches a fast reader and a reader whose socket is full for most
of the burst (frames written partly, then queued behind the rest): every message exactly once, in
id order, intact; a long-polling reader (the engine.io queue) sees the same sequence as a
WebSocket one. The server does not negotiate permessage-deflate.
"""
import json
import os
import socket
import threading
import uuid

import engineio.payload
import pytest
import requests
import socketio
import websocket

from app.core.fanout import websocket_text_frame

from ..live import LiveServer
from .live_peers import signed_in_team

pytestmark = [pytest.mark.multiprocess]

#: `make test` runs the chat suite again with CHAT_LEAN_FANOUT=0: the same promises, stock path.
LEAN = os.environ.get("CHAT_LEAN_FANOUT", "1") != "0"

BURST = 1200
BODY = "x" * 3900  # a frame of ~8 KB with its HTML: a burst is ~9.6 MB, far beyond the buffers


@pytest.mark.parametrize("length", [0, 1, 125, 126, 65535, 65536])
def test_text_frame_header_encodes_the_length(length):
    frame = websocket_text_frame("a" * length)
    assert frame[0] == 0x81  # final text frame
    assert frame[1] & 0x80 == 0  # a server never masks
    if length < 126:
        assert frame[1] == length and len(frame) == 2 + length
    elif length < 1 << 16:
        assert frame[1] == 126 and int.from_bytes(frame[2:4], "big") == length
        assert len(frame) == 4 + length
    else:
        assert frame[1] == 127 and int.from_bytes(frame[2:10], "big") == length
        assert len(frame) == 10 + length


def test_text_frame_counts_utf8_bytes():
    frame = websocket_text_frame("é€")
    assert frame[1] == 5 and frame[2:].decode() == "é€"


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """One eventlet server; a project of three signed-in people."""
    server = LiveServer(tmp_path_factory.mktemp("fanout"))
    server.start()
    try:
        slug, cookies = signed_in_team(server, 3, "Fan")
        yield server, slug, cookies
    finally:
        server.stop()


def fanout_stats(server) -> dict:
    """The server's lean-broadcast counters (GET /healthz)."""
    return requests.get(server.url + "/healthz", timeout=10).json()["fanout"]


class RawSocketIO:
    """Engine.IO/Socket.IO v5 spoken by hand over one WebSocket (websocket-client)."""

    def __init__(self, server, cookie, *, receive_buffer=None, offer_deflate=False):
        headers = [f"Cookie: {cookie}"]
        if offer_deflate:
            headers.append("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")
        options = [(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)] if receive_buffer else []
        url = server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(url, header=headers, sockopt=options, timeout=30)
        assert self.ws.recv().startswith("0")  # engine.io open
        self.ws.send("40")
        assert self.ws.recv().startswith("40")  # namespace connected
        self.next_ack = 0

    def call(self, event, data):
        self.next_ack += 1
        self.ws.send(f"42{self.next_ack}" + json.dumps([event, data]))
        prefix = f"43{self.next_ack}"
        while True:
            text = self.ws.recv()
            if text == "2":
                self.ws.send("3")
            elif text.startswith(prefix):
                return json.loads(text[len(prefix):])[0]

    def messages(self, count):
        """The next `count` `message` events, other events skipped."""
        received = []
        while len(received) < count:
            text = self.ws.recv()
            if text == "2":
                self.ws.send("3")
            elif text.startswith('42["message"'):
                received.append(json.loads(text[2:])[1])
        return received


@pytest.mark.skipif(not LEAN, reason="the stock path may negotiate permessage-deflate")
def test_the_server_does_not_negotiate_compression(room):
    server, slug, cookies = room
    client = RawSocketIO(server, cookies[0], offer_deflate=True)
    try:
        assert "sec-websocket-extensions" not in {k.lower() for k in client.ws.getheaders()}
        assert client.call("join", {"project": slug, "after": None})["ok"]
    finally:
        client.ws.close()


def test_a_burst_reaches_a_fast_and_a_stalled_reader_in_order(room):
    server, slug, cookies = room
    sender = RawSocketIO(server, cookies[0])
    fast = RawSocketIO(server, cookies[1])
    slow = RawSocketIO(server, cookies[2], receive_buffer=4096)
    before = fanout_stats(server)
    try:
        for client in (fast, slow):
            assert client.call("join", {"project": slug, "after": None})["ok"]
        fast_view = []
        reader = threading.Thread(target=lambda: fast_view.extend(fast.messages(BURST)))
        reader.start()
        client_ids = [str(uuid.uuid4()) for _ in range(BURST)]
        for n, client_id in enumerate(client_ids):
            sender.ws.send("42" + json.dumps(["message", {
                "project": slug, "body": f"{n} {BODY}", "client_id": client_id}]))
        # Once the fast reader has every message, each broadcast has been handed out, while the
        # slow reader has read nothing: its frames are in its socket, half-written or queued.
        reader.join(120)
        assert not reader.is_alive() and len(fast_view) == BURST
        slow_view = slow.messages(BURST)
        body_of = {client_id: f"{n} {BODY}" for n, client_id in enumerate(client_ids)}
        for view in (fast_view, slow_view):
            ids = [m["id"] for m in view]
            assert ids == sorted(ids) and len(set(ids)) == BURST  # once each, in id order
            assert {m["client_id"] for m in view} == set(client_ids)
            assert all(m["body"] == body_of[m["client_id"]] for m in view)  # intact
        after = fanout_stats(server)
        if not LEAN:
            assert after is None  # python-socketio's own manager delivered them
            return
        # Frames went out directly (several per system call) and, past 64 KB, through the queue.
        assert after["direct_frames"] > after["direct_sends"] > before["direct_sends"]
        assert after["queued_frames"] > before["queued_frames"]
    finally:
        for client in (sender, fast, slow):
            client.ws.close()


def test_a_reader_whose_socket_fills_message_by_message_misses_nothing(room):
    """One message at a time (each flush one frame per socket) into a reader that reads nothing:
    its socket buffer fills, a write goes out in part and keeps the send lock while the rest
    waits, and later frames queue behind it. Then it reads: every message once, in order."""
    server, slug, cookies = room
    sender, fast = RawSocketIO(server, cookies[0]), RawSocketIO(server, cookies[1])
    stalled = RawSocketIO(server, cookies[2], receive_buffer=4096)
    count = 700  # ~5.6 MB: more than the kernel keeps for one connection here (4 MB + 8 KB)
    before = fanout_stats(server)
    try:
        for client in (fast, stalled):
            assert client.call("join", {"project": slug, "after": None})["ok"]
        client_ids = []
        for n in range(count):
            client_ids.append(str(uuid.uuid4()))
            sender.ws.send("42" + json.dumps(["message", {
                "project": slug, "body": f"{n} {BODY}", "client_id": client_ids[-1]}]))
            assert fast.messages(1)[0]["client_id"] == client_ids[-1]
        during = fanout_stats(server)
        if LEAN:
            assert during["partial_sends"] > before["partial_sends"]  # a frame went out in part
            assert during["queued_frames"] > before["queued_frames"]  # later ones queued behind
            assert during["direct_sends"] - before["direct_sends"] >= count  # the fast reader's
        else:
            assert during is None
        view = stalled.messages(count)
        assert [m["client_id"] for m in view] == client_ids
        assert all(m["body"] == f"{n} {BODY}" for n, m in enumerate(view))
    finally:
        for client in (sender, fast, stalled):
            client.ws.close()


def test_websocket_and_polling_readers_see_the_same_sequence(room, monkeypatch):
    """Direct writes (WebSocket) and the engine.io queue (long-polling) side by side."""
    # python-engineio's client refuses a poll response of more than 16 packets (a guard of
    # that client, not of the protocol or of browsers); a burst queues more than that.
    monkeypatch.setattr(engineio.payload.Payload, "max_decode_packets", 1000)
    server, slug, cookies = room
    sender, direct = RawSocketIO(server, cookies[0]), RawSocketIO(server, cookies[1])
    polling = socketio.Client(reconnection=False)
    polled = []
    polling.on("message", polled.append)
    polling.connect(server.url, headers={"Cookie": cookies[2]}, transports=["polling"],
                    wait_timeout=10)
    try:
        assert direct.call("join", {"project": slug, "after": None})["ok"]
        assert polling.call("join", {"project": slug, "after": None}, timeout=10)["ok"]
        for n in range(40):
            sender.ws.send("42" + json.dumps(["message", {
                "project": slug, "body": f"short {n}", "client_id": str(uuid.uuid4())}]))
        seen = direct.messages(40)
        assert _wait(lambda: len(polled) >= 40), f"polling client got {len(polled)} of 40"
        assert [m["id"] for m in polled] == [m["id"] for m in seen]
        assert [m["body"] for m in seen] == [f"short {n}" for n in range(40)]
    finally:
        polling.disconnect()
        for client in (sender, direct):
            client.ws.close()


def _wait(condition, timeout=60.0):
    event = threading.Event()
    for _ in range(int(timeout * 10)):
        if condition():
            return True
        event.wait(0.1)
    return condition()
