"""A TCP proxy in front of a real Redis that can hold back SUBSCRIBE commands.

It injects, at an exact point, the interleaving that lost an acknowledged message: a server
process that is up (HTTP answers, clients connect and join) but does not hear the Socket.IO
channel yet. Every other command passes through untouched; `cut()` also drops the subscribed
connections, as a Redis restart or a network blip would.
"""
import socket
import threading
from urllib.parse import urlparse


class SubscribeGate:
    def __init__(self, redis_url: str):
        parsed = urlparse(redis_url)
        self.target = (parsed.hostname or "127.0.0.1", parsed.port or 6379)
        self.database = parsed.path or "/0"
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.opened = threading.Event()
        self.opened.set()
        self.held = threading.Event()  # a SUBSCRIBE is waiting at the gate
        self.subscribers: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}{self.database}"

    def close(self) -> None:
        """From now on, SUBSCRIBE waits at the gate until `open()`."""
        self.held.clear()
        self.opened.clear()

    def open(self) -> None:
        self.opened.set()

    def cut(self) -> None:
        """Drop every connection that has subscribed (their owners reconnect)."""
        with self.lock:
            doomed, self.subscribers = self.subscribers, []
        for sock in doomed:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self) -> None:
        self.opened.set()
        self.listener.close()
        self.cut()

    # -- plumbing ------------------------------------------------------------------------------
    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pump_commands, args=(client, upstream),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump_commands(self, client: socket.socket, upstream: socket.socket) -> None:
        try:
            while data := client.recv(65536):
                if b"SUBSCRIBE" in data.upper():
                    with self.lock:
                        self.subscribers.append(client)
                    if not self.opened.is_set():
                        self.held.set()
                        self.opened.wait()
                upstream.sendall(data)
        except OSError:
            pass
        finally:
            _close(client, upstream)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _close(source, sink)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
