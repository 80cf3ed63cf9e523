"""Which live Socket.IO connections belong to which person and sign-in session, in every process.

`app.core.realtime` records each accepted connection here and asks `session_is_current` before
it trusts the caller of an event. Core imports no feature: the auth feature registers the check
at start-up (`register_session_check`) and, when sessions end, calls `disconnect_sessions`.

With REDIS_URL the registry is a Redis hash per user (sid -> session id), so a sign-out served by
one process reaches sockets held by another: `socketio.server.disconnect(sid)` publishes the
disconnect to the process that owns the sid. Without Redis there is one process and the registry
is a dict. Entries of a process that died stay behind until the hash expires; disconnecting a sid
nobody owns does nothing.
"""
import threading

from flask import current_app

from ..extensions import socketio

#: a user's hash lives this long after their last connection opened (seconds)
REGISTRY_TTL = 7 * 24 * 3600

_session_check = None
_session_of = None


def register_session_check(check, session_of) -> None:
    """`check(user_id, session_id) -> bool`: is that sign-in session still current (and the
    account active)? `session_of(user) -> session id`: the session a loaded user came with."""
    global _session_check, _session_of
    _session_check, _session_of = check, session_of


def session_of(user):
    return None if _session_of is None else _session_of(user)


def session_is_current(user_id: int | None, session_id) -> bool:
    if user_id is None:
        return False
    return True if _session_check is None else bool(_session_check(user_id, session_id))


class MemoryRegistry:
    def __init__(self):
        self._users: dict[int, dict[str, str]] = {}
        self._lock = threading.Lock()

    def add(self, user_id: int, sid: str, session_id: str) -> None:
        with self._lock:
            self._users.setdefault(user_id, {})[sid] = session_id

    def remove(self, user_id: int, sids: list[str]) -> None:
        with self._lock:
            connections = self._users.get(user_id, {})
            for sid in sids:
                connections.pop(sid, None)
            if not connections:
                self._users.pop(user_id, None)

    def connections(self, user_id: int) -> dict[str, str]:
        with self._lock:
            return dict(self._users.get(user_id, {}))


class RedisRegistry:
    def __init__(self, url: str, prefix: str):
        import redis

        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self.prefix = prefix

    def _key(self, user_id: int) -> str:
        return f"{self.prefix}:sockets:user:{user_id}"

    def add(self, user_id: int, sid: str, session_id: str) -> None:
        pipe = self.redis.pipeline()
        pipe.hset(self._key(user_id), sid, session_id)
        pipe.expire(self._key(user_id), REGISTRY_TTL)
        pipe.execute()

    def remove(self, user_id: int, sids: list[str]) -> None:
        if sids:
            self.redis.hdel(self._key(user_id), *sids)

    def connections(self, user_id: int) -> dict[str, str]:
        return self.redis.hgetall(self._key(user_id))


def registry(app=None):
    app = app or current_app._get_current_object()
    found = app.extensions.get("socket_registry")
    if found is None:
        url = app.config.get("REDIS_URL")
        found = RedisRegistry(url, app.config.get("SOCKETIO_CHANNEL", "socketio")) if url \
            else MemoryRegistry()
        app.extensions["socket_registry"] = found
    return found


def remember(sid: str, user_id: int, session_id) -> None:
    registry().add(user_id, sid, str(session_id))


def forget(sid: str, user_id: int) -> None:
    registry().remove(user_id, [sid])


def disconnect_sessions(user_id: int, session_ids=None) -> int:
    """Close the user's connections opened with `session_ids` (all of them when None), on
    whichever process holds them. Returns how many were asked to close."""
    wanted = None if session_ids is None else {str(s) for s in session_ids}
    sids = [sid for sid, session_id in registry().connections(user_id).items()
            if wanted is None or session_id in wanted]
    for sid in sids:
        try:
            socketio.server.disconnect(sid, namespace="/")
        except Exception:  # noqa: BLE001 - one dead socket must not keep the others open
            current_app.logger.exception("could not disconnect socket %s", sid)
    registry().remove(user_id, sids)
    return len(sids)
