"""Per-user event rate limits of the socket doors (chat messages and events, co-editing events):
`within_rate_limit(user, setting)` counts one event against the limit a config setting names.

A moving window per user: in Redis when REDIS_URL is set (shared by every process, `limits`'
moving window), else in this process. HTTP routes use Flask-Limiter (`extensions.limiter`)
instead; the sign-in limit is the auth feature's (app/auth/signin_limit.py).
"""
import time
from collections import deque

from flask import current_app


class LocalMovingWindow:
    """A rate limit within one process (no Redis): the hit times of each key in a deque.

    `limits`' memory storage would do the same, but it starts a timer thread to expire keys,
    which under eventlet is a new green thread (and a hub switch) every few messages.
    """

    def __init__(self, amount: int, seconds: float, clock=time.monotonic):
        self.amount, self.seconds, self.clock = amount, seconds, clock
        self.hits: dict[str, deque] = {}

    def hit(self, key: str) -> bool:
        now = self.clock()
        window = self.hits.setdefault(key, deque())
        while window and window[0] <= now - self.seconds:
            window.popleft()
        if len(window) >= self.amount:
            return False
        window.append(now)
        return True


class RedisMovingWindow:
    """A rate limit shared by every process through Redis (`limits`' moving window)."""

    def __init__(self, redis_url: str, limit, namespace: str, scope: str):
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter

        self.limiter = MovingWindowRateLimiter(storage_from_string(redis_url))
        self.limit, self.namespace, self.scope = limit, namespace, scope

    def hit(self, key: str) -> bool:
        return self.limiter.hit(self.limit, self.namespace, self.scope, key)


def _redis_scope(setting: str) -> str:
    # the Redis keys keep the names they had when this lived in the chat feature: chat messages
    # count under "chat", every other setting (co-editing's too) under "chat-<setting>"
    return "chat" if setting == "CHAT_RATE_LIMIT" else f"chat-{setting}"


def _rate_limiter(setting: str):
    from limits import parse

    app = current_app._get_current_object()
    value = app.config[setting]
    limiters = app.extensions.setdefault("rate_limiters", {})
    cached = limiters.get(setting)
    if cached is None or cached[0] != value:
        limit = parse(value)
        if app.config["REDIS_URL"]:
            limiter = RedisMovingWindow(app.config["REDIS_URL"], limit,
                                        app.config.get("SOCKETIO_CHANNEL", "socketio"),
                                        _redis_scope(setting))
        else:
            limiter = LocalMovingWindow(limit.amount, limit.get_expiry())
        cached = (value, limiter)
        limiters[setting] = cached
    return cached[1]


def within_rate_limit(user, setting: str) -> bool:
    """Count one event for `user` (an object with `id`, or the id) against the limit named by
    `setting` (CHAT_RATE_LIMIT, COEDIT_UPDATE_RATE_LIMIT…); False beyond it. Always True when
    RATELIMIT_ENABLED is off."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    return _rate_limiter(setting).hit(str(getattr(user, "id", user)))
