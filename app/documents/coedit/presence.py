"""Who has which document open, per connection, in every process (Redis) or this one.

One sorted set per project, entries `"<doc id>|<sid>|<user id>|<name>"` scored by their expiry
(document 0: the connection has the project's documents list open, `LIST`),
refreshed by each process for its own connections (sessions.py's background step), so entries of
a process that died expire after `TTL`. The backends are the chat's (app/chat/presence.py).
The same entries tell a removed member's sockets apart, wherever they live. Editor colours come
from a fixed palette (WCAG AA on white) chosen by user id, so a person keeps their colour.
"""
import threading
import time

from ...chat.presence import MemoryBackend, RedisBackend

TTL = 30
LIST = 0  #: the "document" of a connection that has the documents list open
HEARTBEAT = 10
PALETTE = ("#1f6feb", "#b35900", "#1a7f37", "#a40e26", "#8250df", "#0e7490", "#9a6700",
           "#bf3989")


def colour_of(user_id: int) -> str:
    return PALETTE[user_id % len(PALETTE)]


def _entry(document_id: int, sid: str, user_id: int, name: str) -> str:
    return f"{document_id}|{sid}|{user_id}|{name}"


def _parse(entry: str) -> tuple[int, str, int, str]:
    document_id, sid, user_id, name = entry.split("|", 3)
    return int(document_id), sid, int(user_id), name


class DocumentPresence:
    def __init__(self, backend, prefix: str):
        self.backend = backend
        self.prefix = prefix
        #: this process's connections: sid -> {document_id: (project_id, entry, can_edit)}
        self.local: dict[str, dict[int, tuple[int, str, bool]]] = {}
        self._lock = threading.Lock()

    def key(self, project_id: int) -> str:
        return f"{self.prefix}:coedit:presence:{project_id}"

    def add(self, project_id: int, document_id: int, sid: str, user_id: int, name: str,
            can_edit: bool) -> None:
        entry = _entry(document_id, sid, user_id, name)
        with self._lock:
            self.local.setdefault(sid, {})[document_id] = (project_id, entry, can_edit)
        self.backend.add(self.key(project_id), entry, time.time() + TTL)

    def remove(self, document_id: int, sid: str) -> int | None:
        """Forget one connection's document; its project id, or None if it had not joined."""
        with self._lock:
            found = self.local.get(sid, {}).pop(document_id, None)
        if found is None:
            return None
        self.backend.remove(self.key(found[0]), found[1])
        return found[0]

    def remove_connection(self, sid: str) -> list[tuple[int, int]]:
        """A closed connection: [(project id, document id)] it had open."""
        with self._lock:
            joined = self.local.pop(sid, {})
        for _document_id, (project_id, entry, _edit) in joined.items():
            self.backend.remove(self.key(project_id), entry)
        return [(project_id, document_id) for document_id, (project_id, *_rest) in joined.items()]

    def joined(self, sid: str, document_id: int) -> bool:
        with self._lock:
            return document_id in self.local.get(sid, {})

    def local_editors(self, document_id: int) -> int:
        """Connections of this process that have the document open and may edit it."""
        with self._lock:
            return sum(1 for docs in self.local.values()
                       if document_id in docs and docs[document_id][2])

    def local_documents(self) -> set[int]:
        with self._lock:
            return {doc for docs in self.local.values() for doc in docs}

    def _entries(self, project_id: int) -> list[tuple[int, str, int, str]]:
        return [_parse(e) for e in self.backend.live(self.key(project_id), time.time())[0]]

    def editors(self, project_id: int, document_id: int) -> list[dict]:
        """Distinct people with the document open, by name."""
        people = {uid: name for doc, _sid, uid, name in self._entries(project_id)
                  if doc == document_id and doc != LIST}
        return [{"id": uid, "name": name, "color": colour_of(uid)}
                for uid, name in sorted(people.items(), key=lambda p: p[1])]

    def by_document(self, project_id: int) -> dict[str, list[dict]]:
        found: dict[int, dict[int, str]] = {}
        for doc, _sid, uid, name in self._entries(project_id):
            if doc != LIST:
                found.setdefault(doc, {})[uid] = name
        return {str(doc): [{"id": uid, "name": name, "color": colour_of(uid)} for uid, name in
                           sorted(people.items(), key=lambda p: p[1])]
                for doc, people in found.items()}

    def connections_of(self, project_id: int, user_id: int) -> list[tuple[int, str, str]]:
        """(document id, sid, entry) of every connection of `user_id` in the project."""
        return [(doc, sid, _entry(doc, sid, uid, name))
                for doc, sid, uid, name in self._entries(project_id) if uid == user_id]

    def connections_to(self, project_id: int, document_id: int) -> list[tuple[str, str]]:
        return [(sid, _entry(doc, sid, uid, name))
                for doc, sid, uid, name in self._entries(project_id) if doc == document_id]

    def drop_entry(self, project_id: int, entry: str) -> None:
        document_id, sid, _uid, _name = _parse(entry)
        with self._lock:
            self.local.get(sid, {}).pop(document_id, None)
        self.backend.remove(self.key(project_id), entry)

    def heartbeat(self) -> None:
        with self._lock:
            items = [(self.key(project_id), entry) for docs in self.local.values()
                     for project_id, entry, _edit in docs.values()]
        if items:
            self.backend.refresh_many(items, time.time() + TTL)


def document_presence(app) -> DocumentPresence:
    store = app.extensions.get("coedit_presence")
    if store is None:
        url = app.config.get("REDIS_URL")
        backend = RedisBackend(url) if url else MemoryBackend()
        store = app.extensions.setdefault(
            "coedit_presence", DocumentPresence(backend, app.config.get("SOCKETIO_CHANNEL",
                                                                        "socketio")))
    return store
