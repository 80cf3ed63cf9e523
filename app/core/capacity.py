"""How many Socket.IO connections one process holds, and what it does beyond that.

Every open connection holds one green thread of the WSGI server (eventlet's pool was 1,024 by
default: at 1,024 sockets the process stopped answering anything, `/healthz` included). Here:

- `MAX_CONNECTIONS` (a setting; by default sized from the file-descriptor limit, which the
  server raises to its hard limit at start-up, and the memory a connection costs) bounds the
  Socket.IO connections of the process;
- the server's green-thread pool is that plus `HTTP_RESERVE`, so pages and `/healthz` always
  find a thread (`server_options` for `python wsgi.py`, `gunicorn.conf.py` for gunicorn);
- `ConnectionGate`, a WSGI middleware in front of Socket.IO, refuses a *new* Engine.IO
  handshake at once once the limit is reached (HTTP 503, `Retry-After`, a JSON reason), so a
  full process degrades instead of hanging; clients back off with jitter and retry;
- `/healthz/ready` fails from `READY_SHARE` of the limit on, so a proxy sends new people elsewhere.
"""
import json
import random
import resource

#: Resident memory one idle, joined chat connection costs, with headroom: bench/connections_bench.py
#: measured 71-74 KiB under eventlet and 77 KiB under gevent at 10,000 connections (2026-12-01,
#: docs/benchmarks.md), so 96 KiB is ~25 % above the larger.
BYTES_PER_CONNECTION = 96 * 1024
#: Share of the memory available at start-up that connections may take by default.
MEMORY_SHARE = 0.5
#: File descriptors kept for everything that is not a client socket (database, Redis, files).
FD_RESERVE = 256
#: Descriptors one WebSocket holds, by async mode. Under gevent's server the WebSocket
#: (simple-websocket) works on a dup() of the client socket: two, and a process sized for one
#: ran out of descriptors ("Too many open files", handshakes answered 500) at ~9,900 of 10,000.
#: gunicorn's gevent worker passes its socket without dup(); there the limit is merely cautious.
FDS_PER_CONNECTION = {"eventlet": 1, "gevent": 2}
#: Green threads kept for plain HTTP requests beyond the Socket.IO connections.
HTTP_RESERVE = 128
#: Seconds an idle keep-alive HTTP connection may hold a green thread (not WebSockets).
KEEPALIVE_SECONDS = 30
#: From this share of MAX_CONNECTIONS on, /healthz/ready says "not ready".
READY_SHARE = 0.9
#: Seconds a refused client is told to wait (jittered by the client).
RETRY_AFTER = 5


def raise_fd_limit() -> int:
    """Raise this process's open-file limit to its hard limit; returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def default_max_connections(fd_limit: int | None = None, memory: int | None = None,
                            fds_per_connection: int = 1) -> int:
    """What the process can carry: bounded by its descriptors and by the memory it may use."""
    if fd_limit is None:
        fd_limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    by_fds = max(16, (fd_limit - FD_RESERVE) // fds_per_connection)
    memory = _available_memory() if memory is None else memory
    if not memory:
        return by_fds
    return max(16, min(by_fds, int(memory * MEMORY_SHARE / BYTES_PER_CONNECTION)))


def server_options(async_mode: str, max_connections: int) -> dict:
    """Keyword arguments for `socketio.run`: a pool with room for HTTP beside the sockets."""
    pool = max_connections + HTTP_RESERVE
    if async_mode == "eventlet":
        return {"max_size": pool, "keepalive": KEEPALIVE_SECONDS}
    if async_mode == "gevent":
        return {"spawn": pool}
    return {}


class ConnectionGate:
    """WSGI middleware: a new Engine.IO handshake beyond `limit` open connections gets a 503."""

    def __init__(self, wsgi_app, eio_server, limit: int, path: str = "/socket.io"):
        self.wsgi_app, self.eio_server, self.limit = wsgi_app, eio_server, limit
        self.path = path.rstrip("/") + "/"
        self.refused = 0

    def open_connections(self) -> int:
        return len(self.eio_server.sockets)

    def __call__(self, environ, start_response):
        if (environ.get("PATH_INFO", "").startswith(self.path)
                and "sid=" not in environ.get("QUERY_STRING", "")
                and self.open_connections() >= self.limit):
            self.refused += 1
            return self._busy(start_response)
        return self.wsgi_app(environ, start_response)

    def _busy(self, start_response):
        wait = RETRY_AFTER + random.randint(0, RETRY_AFTER)  # noqa: S311 - spreading retries
        body = json.dumps({"error": "busy", "message": "The server is busy; retry later.",
                           "retry_after": wait}).encode()
        start_response("503 Service Unavailable", [
            ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
            ("Retry-After", str(wait)), ("Cache-Control", "no-store")])
        return [body]

    def stats(self) -> dict:
        return {"open": self.open_connections(), "limit": self.limit, "refused": self.refused}


def install(app, socketio) -> None:
    """Put the gate in front of Socket.IO (after `socketio.init_app`) and remember it."""
    fds = FDS_PER_CONNECTION.get(socketio.server.eio.async_mode, 1)
    limit = app.config["MAX_CONNECTIONS"] or default_max_connections(fds_per_connection=fds)
    app.config["MAX_CONNECTIONS"] = limit
    gate = ConnectionGate(app.wsgi_app, socketio.server.eio, limit)
    app.wsgi_app = gate
    app.extensions["connection_gate"] = gate


def connection_stats(app) -> dict | None:
    gate = app.extensions.get("connection_gate")
    return gate.stats() if gate is not None else None


def ready(stats: dict | None) -> bool:
    """Room for new people: below READY_SHARE of the limit."""
    return stats is None or stats["open"] < READY_SHARE * stats["limit"]

