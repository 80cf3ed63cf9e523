"""Who is in a project's chat right now, per connection, in Redis (several processes) or memory.

Each joined connection is one entry `"<sid>|<user id>|<name>"` in a sorted set per project whose
score is its expiry time. A process refreshes the entries of its own connections every
`HEARTBEAT` seconds; entries of a process that died (SIGKILL) simply expire after `TTL`, so no
ghosts stay online. The entries double as the registry of which sockets to drop from a room when
a member is removed, wherever (whichever process) those sockets live.

Also here: telling a room who is online (`announce`, coalescing bursts), the per-process
heartbeat task, and taking a removed member's connections out of the room (`member_removed`).
The socket doors (events.py) call these; nothing here reads a socket payload.
"""
import threading
import time

from flask import current_app

from ..core import realtime
from ..core.signals import member_removed
from ..extensions import socketio
from . import services

HEARTBEAT = 10
TTL = 30


def _entry(sid: str, user_id: int, name: str) -> str:
    return f"{sid}|{user_id}|{name}"


def parse_entry(entry: str) -> tuple[str, int, str]:
    sid, user_id, name = entry.split("|", 2)
    return sid, int(user_id), name


class MemoryBackend:
    """Sorted sets in process memory (one process, no REDIS_URL)."""

    def __init__(self):
        self._sets: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def add(self, key: str, entry: str, expires: float) -> None:
        with self._lock:
            self._sets.setdefault(key, {})[entry] = expires

    def refresh(self, key: str, entry: str, expires: float) -> bool:
        with self._lock:
            entries = self._sets.get(key, {})
            if entry in entries:
                entries[entry] = expires
                return True
            return False

    def refresh_many(self, items: list[tuple[str, str]], expires: float) -> list[bool]:
        return [self.refresh(key, entry, expires) for key, entry in items]

    def remove(self, key: str, entry: str) -> None:
        with self._lock:
            self._sets.get(key, {}).pop(entry, None)

    def live(self, key: str, now: float) -> tuple[list[str], int]:
        with self._lock:
            entries = self._sets.get(key, {})
            expired = [e for e, until in entries.items() if until <= now]
            for entry in expired:
                del entries[entry]
            return list(entries), len(expired)


class RedisBackend:
    def __init__(self, url: str):
        import redis

        self.redis = redis.Redis.from_url(url, decode_responses=True)

    def add(self, key: str, entry: str, expires: float) -> None:
        pipe = self.redis.pipeline()
        pipe.zadd(key, {entry: expires})
        pipe.expire(key, TTL * 4)
        pipe.execute()

    def refresh(self, key: str, entry: str, expires: float) -> bool:
        pipe = self.redis.pipeline()
        pipe.zadd(key, {entry: expires}, xx=True, ch=True)
        pipe.zscore(key, entry)
        pipe.expire(key, TTL * 4)
        return pipe.execute()[1] is not None

    def refresh_many(self, items: list[tuple[str, str]], expires: float) -> list[bool]:
        """Refresh many entries in one round trip (a heartbeat of thousands of connections)."""
        pipe = self.redis.pipeline(transaction=False)
        for key, entry in items:
            pipe.zadd(key, {entry: expires}, xx=True, ch=True)
            pipe.zscore(key, entry)
        for key in {key for key, _entry in items}:
            pipe.expire(key, TTL * 4)
        replies = pipe.execute()
        return [replies[2 * n + 1] is not None for n in range(len(items))]

    def remove(self, key: str, entry: str) -> None:
        self.redis.zrem(key, entry)

    def live(self, key: str, now: float) -> tuple[list[str], int]:
        pipe = self.redis.pipeline()
        pipe.zremrangebyscore(key, "-inf", now)
        pipe.zrange(key, 0, -1)
        expired, entries = pipe.execute()
        return entries, expired


class PresenceStore:
    """Presence of the connections of this process, shared through the backend."""

    def __init__(self, backend, prefix: str):
        self.backend = backend
        self.prefix = prefix
        #: this process's own connections: sid -> {project_id: entry}
        self.local: dict[str, dict[int, str]] = {}
        self._lock = threading.Lock()

    def key(self, project_id: int) -> str:
        return f"{self.prefix}:chat:presence:{project_id}"

    def add(self, project_id: int, sid: str, user_id: int, name: str) -> None:
        entry = _entry(sid, user_id, name)
        with self._lock:
            self.local.setdefault(sid, {})[project_id] = entry
        self.backend.add(self.key(project_id), entry, time.time() + TTL)

    def remove(self, project_id: int, sid: str) -> bool:
        with self._lock:
            entry = self.local.get(sid, {}).pop(project_id, None)
        if entry is not None:
            self.backend.remove(self.key(project_id), entry)
        return entry is not None

    def remove_connection(self, sid: str) -> list[int]:
        """Forget a closed connection everywhere; returns the projects it had joined."""
        with self._lock:
            joined = self.local.pop(sid, {})
        for project_id, entry in joined.items():
            self.backend.remove(self.key(project_id), entry)
        return list(joined)

    def remove_entry(self, project_id: int, entry: str) -> None:
        sid = parse_entry(entry)[0]
        with self._lock:
            self.local.get(sid, {}).pop(project_id, None)
        self.backend.remove(self.key(project_id), entry)

    def entries(self, project_id: int) -> tuple[list[str], int]:
        return self.backend.live(self.key(project_id), time.time())

    def online(self, project_id: int) -> list[dict]:
        """Distinct people online in the project, by name."""
        people = {}
        for entry in self.entries(project_id)[0]:
            _sid, user_id, name = parse_entry(entry)
            people[user_id] = name
        return [{"id": uid, "name": name} for uid, name in sorted(people.items(), key=lambda p: p[1])]

    def connections_of(self, project_id: int, user_id: int) -> list[str]:
        return [e for e in self.entries(project_id)[0] if parse_entry(e)[1] == user_id]

    def heartbeat(self) -> set[int]:
        """Refresh this process's entries; returns projects where someone else's entry expired."""
        with self._lock:
            snapshot = [(pid, entry) for joined in self.local.values() for pid, entry in joined.items()]
        until = time.time() + TTL
        changed = set()
        # One round trip for all of them; only what is still there is refreshed: an entry removed
        # by another process (the member was removed from the project) must not come back.
        still_there = self.backend.refresh_many(
            [(self.key(project_id), entry) for project_id, entry in snapshot], until)
        for (project_id, entry), present in zip(snapshot, still_there, strict=True):
            if not present:
                self.remove_entry(project_id, entry)
        for project_id in {pid for pid, _entry in snapshot}:
            if self.entries(project_id)[1]:
                changed.add(project_id)
        return changed


def presence_store(app) -> PresenceStore:
    store = app.extensions.get("chat_presence")
    if store is None:
        url = app.config.get("REDIS_URL")
        backend = RedisBackend(url) if url else MemoryBackend()
        store = PresenceStore(backend, app.config.get("SOCKETIO_CHANNEL", "socketio"))
        app.extensions["chat_presence"] = store
    return store


class BroadcastLedger:
    """Which messages have been handed to the message queue (Redis), for a day.

    A process can die between committing a message and emitting it; the sender then retries
    (same client_id) and gets the original. The ledger tells the retry whether the original was
    ever broadcast, so that it is delivered at least once without being broadcast twice. With
    one process (no Redis) a crash takes every connection down with it and clients catch up by
    re-joining, so there is nothing to remember.
    """

    def __init__(self, backend, prefix: str):
        self.redis = getattr(backend, "redis", None)
        self.prefix = prefix

    def _key(self, message_id: int) -> str:
        return f"{self.prefix}:chat:sent:{message_id}"

    def mark(self, message_id: int) -> None:
        if self.redis is not None:
            self.redis.set(self._key(message_id), 1, ex=86400)

    def was_broadcast(self, message_id: int) -> bool:
        return self.redis is None or bool(self.redis.exists(self._key(message_id)))


def broadcast_ledger(app) -> BroadcastLedger:
    ledger = app.extensions.get("chat_ledger")
    if ledger is None:
        store = presence_store(app)
        ledger = BroadcastLedger(store.backend, store.prefix)
        app.extensions["chat_ledger"] = ledger
    return ledger


def project_room(project_id: int) -> str:
    """The internal Socket.IO room of a project's chat (clients only name projects by slug)."""
    return f"project:{project_id}"


# --- telling the room who is online ---------------------------------------------------------

#: projects with a presence broadcast already scheduled in this process
_presence_due: set[int] = set()


def announce(project_id: int, slug: str) -> None:
    """Tell the room who is online, coalescing bursts (a meeting starts: everyone joins).

    Each broadcast carries the whole list, so N joins in a row would send N x N events; instead
    at most one broadcast per project per CHAT_PRESENCE_DELAY seconds (0 = at once).
    """
    app = current_app._get_current_object()
    delay = app.config.get("CHAT_PRESENCE_DELAY", 0.5)
    if not delay:
        _emit_presence(app, project_id, slug)
    elif project_id not in _presence_due:
        _presence_due.add(project_id)
        socketio.start_background_task(_emit_presence_later, app, project_id, slug, delay)


def _emit_presence_later(app, project_id: int, slug: str, delay: float) -> None:
    socketio.sleep(delay)
    _presence_due.discard(project_id)
    try:
        _emit_presence(app, project_id, slug)
    except Exception:  # a Redis hiccup: the next change or heartbeat sends it again
        app.logger.exception("chat presence broadcast failed")


def _emit_presence(app, project_id: int, slug: str) -> None:
    online = presence_store(app).online(project_id)
    socketio.emit("presence", {"project": slug, "online": online}, to=project_room(project_id))


def forget_connection(sid: str) -> None:
    """A connection closed: drop its entries and tell the rooms it had joined."""
    project_ids = presence_store(current_app).remove_connection(sid)
    for project_id, slug in services.project_slugs(project_ids).items():
        announce(project_id, slug)


# --- the heartbeat (one background task per process) ----------------------------------------

_heartbeat_started: set[int] = set()


def ensure_heartbeat(app) -> None:
    if id(app) in _heartbeat_started:
        return
    _heartbeat_started.add(id(app))
    socketio.start_background_task(_heartbeat_loop, app)


def _heartbeat_loop(app) -> None:
    store = presence_store(app)
    while True:
        socketio.sleep(HEARTBEAT)
        try:
            changed = store.heartbeat()
            if changed:
                with app.app_context():
                    slugs = services.project_slugs(changed)
                for project_id, slug in slugs.items():
                    _emit_presence(app, project_id, slug)
        except Exception:  # a Redis hiccup must not end the heartbeat
            app.logger.exception("chat presence heartbeat failed")


# --- membership changes ---------------------------------------------------------------------

def drop_member_connections(project, user_id: int) -> None:
    """Take every connection of `user_id` out of the project's room, on whichever process."""
    app = current_app._get_current_object()
    store = presence_store(app)
    room = project_room(project.id)
    for entry in store.connections_of(project.id, user_id):
        sid = entry.split("|", 1)[0]
        socketio.server.leave_room(sid, room)  # pub/sub-aware: the owning process acts
        store.remove_entry(project.id, entry)
    realtime.emit_to_user(user_id, "removed", {"project": project.slug})
    announce(project.id, project.slug)


def _on_member_removed(_sender=None, **kwargs) -> None:
    project, user = kwargs.get("project"), kwargs.get("user")
    if project is None or user is None:
        return
    try:
        drop_member_connections(project, getattr(user, "id", user))
    except Exception:  # receivers must not raise into the sender's request
        current_app.logger.exception("chat: could not drop a removed member's connections")


member_removed.connect(_on_member_removed, weak=False)
