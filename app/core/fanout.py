"""Socket.IO client managers with a cheaper room broadcast (the fan-out of every chat message).

Stock python-socketio encodes a broadcast once, then hands the packet to each participant's
engine.io socket queue through four calls that each look the socket up, re-check its ping
deadline and format a log record; each socket's writer green thread then wakes up, frames the
packet for WebSocket and writes it with one `send` system call. With a 200-member room that is
200 wake-ups, 200 framings and 200 system calls per message, and it is most of the server's CPU.

`LeanFanout` (eventlet, WebSocket transport, no compression negotiated) instead:
- frames the packet once (RFC 6455 text frame, unmasked as from a server);
- appends the frame to a per-socket pending list, and schedules one flusher green thread;
- the flusher writes each socket's pending frames with one non-blocking `send` (up to 64 KB;
  beyond that, the rest goes through the queue): after a burst of messages (a busy hub) one
  system call carries several frames, so the cost per delivery falls as the load rises.
Order is kept among emitted events: a socket is written directly only while its engine.io queue
is empty and nobody holds its WebSocket send lock; otherwise (or if the socket buffer is full)
its frames go to the engine.io queue as packets, behind what is already there, and its writer
sends them as before. Acks are not emits (engine.io queues them at once), so an ack can reach
the client before a broadcast made just before it; the chat client merges by id either way.
A partial write keeps the send lock until a green thread has sent the rest. Anything else —
polling transport, an upgrade in progress, gevent, TLS served by the app itself (production
ends TLS at the proxy), acknowledged emits, binary payloads, a socket that is gone — takes the
stock path. Ping deadlines are still enforced by engine.io's service
task. `remember_websockets` records each engine.io socket's WebSocket (engine.io keeps it only
in a local variable of its handler). The Redis variant keeps the stock publish/subscribe side:
every process delivers a broadcast to its own sockets through the same path.
"""
import logging
import ssl

import engineio.socket
import socketio
from engineio import packet as eio_packet
from socketio import packet

from .subscription import SubscriptionTracking, TrackedRedisManager

log = logging.getLogger(__name__)

#: At most this many bytes of frames per direct `send` (a burst beyond it goes to the queue).
MAX_DIRECT_BYTES = 64 * 1024


class LeanFanout:
    """Mixin over `socketio.Manager`: the broadcast loop described in the module doc."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pending: dict = {}  # engine.io Socket -> [(engine.io packets, frame bytes)]
        self._flush_scheduled = False
        #: Counters since start (shown by /healthz): system calls that wrote frames directly,
        #: the frames they carried, those left partly written, frames sent through the queue.
        self.stats = {"direct_sends": 0, "direct_frames": 0, "partial_sends": 0,
                      "queued_frames": 0}

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None,
             **kwargs):
        room = to or room
        if callback or namespace not in self.rooms:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid,
                                callback=callback, **kwargs)
        if isinstance(data, tuple):
            data = list(data)
        elif data is not None:
            data = [data]
        else:
            data = []
        skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        encoded = self.server.packet_class(packet.EVENT, namespace=namespace,
                                           data=[event] + data).encode()
        if not isinstance(encoded, list):
            encoded = [encoded]  # a binary payload encodes as several packets
        eio_packets = [eio_packet.Packet(eio_packet.MESSAGE, part) for part in encoded]
        item = (eio_packets, websocket_text_frame(eio_packets[0].encode())
                if len(eio_packets) == 1 else None)
        sockets, pending = self.server.eio.sockets, self._pending
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid in skip:
                continue
            recipient = sockets.get(eio_sid)
            if recipient is None or recipient.closed:
                for eio_pkt in eio_packets:  # the stock path logs and cleans up
                    self.server._send_eio_packet(eio_sid, eio_pkt)
            elif item[1] is None or getattr(recipient, "lean_ws", None) is None:
                for eio_pkt in eio_packets:
                    recipient.queue.put(eio_pkt)
            elif recipient in pending:
                pending[recipient].append(item)
            else:
                pending[recipient] = [item]
        if pending and not self._flush_scheduled:
            self._flush_scheduled = True
            self.server.start_background_task(self._flush)

    def _flush(self) -> None:
        """Write every socket's pending frames: one `send` each, the rest through the queue."""
        batch, self._pending, self._flush_scheduled = self._pending, {}, False
        stats = self.stats
        for recipient, items in batch.items():
            if recipient.closed:
                continue
            taken = self._write_directly(recipient, items)
            stats["queued_frames"] += len(items) - taken
            for eio_packets, _frame in items[taken:]:
                for eio_pkt in eio_packets:
                    recipient.queue.put(eio_pkt)

    def _write_directly(self, recipient, items) -> int:
        """One non-blocking send of the first frames (up to MAX_DIRECT_BYTES); how many it took.

        The frames it did not take go through the engine.io queue, whose writer waits for the
        send lock, which a partial write keeps until the rest of its bytes are out: order is
        kept, and no more than MAX_DIRECT_BYTES per socket are ever copied outside the queue.
        """
        ws = recipient.lean_ws
        if ws is None or recipient.upgrading or recipient.queue.qsize():
            return 0
        lock = ws._sendlock
        if not lock.acquire(blocking=False):
            return 0
        taken, size = 0, 0
        for _packets, frame in items:
            if taken and size + len(frame) > MAX_DIRECT_BYTES:
                break
            taken, size = taken + 1, size + len(frame)
        data = items[0][1] if taken == 1 else b"".join(frame for _packets, frame in items[:taken])
        try:
            sent = ws.socket.fd.send(data)
        except BlockingIOError:
            sent = 0
        except OSError:  # the connection is going away; its reader closes the socket
            lock.release()
            return len(items)
        if sent == 0:
            lock.release()
            return 0
        self.stats["direct_sends"] += 1
        self.stats["direct_frames"] += taken
        if sent < len(data):
            self.stats["partial_sends"] += 1
            recipient.server.start_background_task(_send_rest, ws, lock, data[sent:])
        else:
            lock.release()
        return taken


def _send_rest(ws, lock, rest: bytes) -> None:
    try:
        ws.socket.sendall(rest)
    except OSError:
        pass
    finally:
        lock.release()


def websocket_text_frame(text: str) -> bytes:
    """One final, unmasked RFC 6455 text frame."""
    data = text.encode("utf-8")
    length = len(data)
    if length < 126:
        header = bytes((0x81, length))
    elif length < 1 << 16:
        header = bytes((0x81, 126)) + length.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + length.to_bytes(8, "big")
    return header + data


def remember_websockets(eio_server) -> None:
    """Record on each engine.io socket the WebSocket it runs on (eventlet's RFC 6455 one), for
    `LeanFanout`, and decline permessage-deflate (chat frames are small; browsers then simply
    send and receive uncompressed frames). Other WebSockets are left to the queue."""
    base = (eio_server._async or {}).get("websocket") if isinstance(
        getattr(eio_server, "_async", None), dict) else None
    if base is None:
        log.warning("CHAT_LEAN_FANOUT: engine.io's WebSocket class not found; every socket "
                    "takes the queue")
        return

    class RememberingWebSocket(base):
        def __init__(self, handler, server):
            eio_socket = getattr(handler, "__self__", None)

            def run(ws):
                if eio_socket is not None and _writable_directly(ws):
                    eio_socket.lean_ws = ws
                try:
                    return handler(ws)
                finally:
                    if eio_socket is not None:
                        eio_socket.lean_ws = None

            super().__init__(run, server)

        def __call__(self, environ, start_response):
            # No permessage-deflate: a compressed connection needs its own compression of every
            # frame (one zlib run per recipient per message) and could not share the frame.
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
            return super().__call__(environ, start_response)

    eio_server._async = dict(eio_server._async, websocket=RememberingWebSocket)


def _writable_directly(ws) -> bool:
    """An RFC 6455 WebSocket over plain TCP (TLS ends at the proxy) with no compression.

    Duck-typed: under eventlet `socket.socket` is the green class, the raw `fd` is not one.
    """
    deflate = getattr(ws, "_get_permessage_deflate_enc", None)
    green_socket = getattr(ws, "socket", None)
    raw_socket = getattr(green_socket, "fd", None)
    return (getattr(ws, "version", None) == 13 and hasattr(ws, "_sendlock")
            and callable(getattr(raw_socket, "send", None))
            and not isinstance(raw_socket, ssl.SSLSocket)
            and not isinstance(green_socket, ssl.SSLSocket)
            and deflate is not None and deflate() is None)


def fanout_stats(server) -> dict | None:
    """The lean broadcast's counters of this process (None with another manager)."""
    stats = getattr(server.manager, "stats", None)
    return dict(stats) if stats is not None else None


class LeanFanoutManager(LeanFanout, socketio.Manager):
    """The in-process manager (no `REDIS_URL`)."""


class LeanFanoutRedisManager(SubscriptionTracking, socketio.RedisManager, LeanFanoutManager):
    """Redis pub/sub between processes; the local delivery of every broadcast is lean.

    Method order: SubscriptionTracking → RedisManager → PubSubManager → LeanFanout → Manager,
    so `emit` publishes, the subscriber's `super().emit` reaches the lean loop, and the
    subscription's state is known (app/core/subscription.py).
    """


def missing_internals() -> list[str]:
    """The private python-socketio / python-engineio internals the lean path needs and lacks.

    Checked once at start-up; the WebSocket's own internals (send lock, raw socket, deflate)
    are checked per connection by `_writable_directly`, which sends a socket through the queue
    when they are not there.
    """
    needed = [(socketio.Server, "_send_eio_packet"), (socketio.Manager, "get_participants")]
    missing = [f"{owner.__module__}.{owner.__name__}.{name}" for owner, name in needed
               if not callable(getattr(owner, name, None))]

    class _Server:  # what an engine.io socket asks of its server when it is made
        def create_queue(self):
            return None

    try:
        sock = engineio.socket.Socket(_Server(), "probe")
    except Exception:  # noqa: BLE001 - its constructor changed: that is missing too
        return [*missing, "engineio.socket.Socket(server, sid)"]
    missing += [f"engineio.socket.Socket.{name}" for name in ("queue", "closed", "upgrading")
                if not hasattr(sock, name)]
    return missing


def lean_fanout_usable(wanted: bool) -> bool:
    """CHAT_LEAN_FANOUT, unless the internals are gone (then the stock path, with a warning)."""
    if not wanted:
        return False
    missing = missing_internals()
    if missing:
        log.warning("CHAT_LEAN_FANOUT: python-socketio/engineio changed (%s missing); "
                    "using the stock broadcast", ", ".join(missing))
    return not missing


def client_manager(redis_url: str | None, channel: str, lean: bool = True):
    """The client manager for `socketio.init_app(client_manager=...)`: lean or stock."""
    if redis_url:
        manager = LeanFanoutRedisManager if lean else TrackedRedisManager
        return manager(redis_url, channel=channel, write_only=False)
    return LeanFanoutManager() if lean else socketio.Manager()
