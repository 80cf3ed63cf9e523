"""Knowing when this process hears the Socket.IO Redis channel, and acting on it.

A process delivers broadcasts made by other processes only while its Redis subscription is live.
python-socketio subscribes lazily, in a background task started by the first connection, and
subscribes again after losing Redis; a broadcast published in either gap never reaches this
process's sockets. A chat `join` that read the catch-up from the database inside such a gap
missed for good every message committed after that read and broadcast before the subscription
(issue: "an acknowledged chat message missing after a process kill"). So:

- `start_listening(server)` subscribes at start-up rather than on the first connection;
- `wait_until_listening(server, timeout)` lets a door (the chat `join`) wait until the
  subscription is confirmed by Redis before it reads the catch-up;
- after a re-subscription (Redis came back) every local connection is sent `resync`, so that
  clients re-join from their resume point and fetch what was published meanwhile.

Knowing "confirmed by Redis" needs two of python-socketio's private methods of `RedisManager`
(`_redis_connect`, `_redis_listen_with_retries`): they are overridden here and nowhere else.
`supported()` checks at start-up that they are still there; without them the mixin steps aside
(a warning is logged, the process counts as listening at once, and clients fall back on their
gap detection).
"""
import logging

import socketio

log = logging.getLogger(__name__)

#: The private RedisManager methods this module overrides.
_INTERNALS = ("_redis_connect", "_redis_listen_with_retries")
#: The event sent to this process's own connections after a re-subscription.
RESYNC_EVENT = "resync"


def supported() -> bool:
    """True if python-socketio's RedisManager still has the internals this module relies on."""
    return all(callable(getattr(socketio.RedisManager, name, None)) for name in _INTERNALS)


class SubscriptionTracking:
    """Mixin placed before `socketio.RedisManager`: records when the channel subscription is live.

    `listening` is an event of the server's async mode, set when Redis confirms the SUBSCRIBE
    and cleared whenever the manager (re)connects. `subscriptions` counts confirmations.
    """

    listening = None
    subscriptions = 0

    def _listening_event(self):
        if self.listening is None:
            self.listening = self.server.eio.create_event()
        return self.listening

    def _redis_connect(self):
        if not _SUPPORTED:
            return super()._redis_connect()
        self._listening_event().clear()
        super()._redis_connect()
        # See the subscribe confirmation too (python-socketio asks redis-py to drop it).
        self.pubsub.ignore_subscribe_messages = False

    def _redis_listen_with_retries(self):
        channel = self.channel.encode("utf-8")
        for message in super()._redis_listen_with_retries():
            if (_SUPPORTED and message.get("type") == "subscribe"
                    and message.get("channel") == channel):
                self._on_subscribed()
            yield message

    def _on_subscribed(self) -> None:
        self.subscriptions += 1
        self._listening_event().set()
        if self.subscriptions > 1:
            log.warning("Socket.IO channel subscribed again: asking local clients to resync")
            # Local sockets only: the other processes never stopped hearing the channel.
            self.emit(RESYNC_EVENT, {}, namespace="/", ignore_queue=True)


_SUPPORTED = supported()
if not _SUPPORTED:
    log.warning("python-socketio's RedisManager has changed: subscription tracking is off; "
                "chat clients rely on their gap detection alone")


class TrackedRedisManager(SubscriptionTracking, socketio.RedisManager):
    """python-socketio's stock Redis manager, with the subscription's state known."""


def is_listening(server) -> bool:
    """Does this process hear the other processes' broadcasts (always, without Redis)?"""
    manager = server.manager
    if not isinstance(manager, SubscriptionTracking) or not _SUPPORTED:
        return True
    return manager.listening is not None and manager.listening.is_set()


def start_listening(server) -> None:
    """Subscribe now instead of on the first connection (python-socketio's default)."""
    if not server.manager_initialized:
        server.manager_initialized = True
        server.manager.initialize()


def wait_until_listening(server, timeout: float) -> bool:
    """Block this green thread until the subscription is live; False after `timeout` seconds."""
    if is_listening(server):
        return True
    start_listening(server)
    return bool(server.manager._listening_event().wait(timeout))
