"""Password hashing with Argon2id (argon2-cffi). Tests use cheaper parameters for speed.

Argon2 is deliberately slow (tens of milliseconds of CPU). Under eventlet every green thread of
the process shares one OS thread, so a hash would freeze all other requests and socket events
while it runs; there the work goes to eventlet's pool of real threads (argon2-cffi releases the
GIL). Elsewhere (threading, CLI, tests) it simply runs in the calling thread.
"""
import sys

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

_strong = PasswordHasher()
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher() -> PasswordHasher:
    return _fast if current_app.config.get("PASSWORD_HASH_FAST") else _strong


def _off_the_event_loop(function, *args):
    eventlet = sys.modules.get("eventlet")
    if eventlet is not None and eventlet.patcher.is_monkey_patched("thread"):
        from eventlet import tpool

        return tpool.execute(function, *args)
    return function(*args)


def hash_password(password: str) -> str:
    return _off_the_event_loop(_hasher().hash, password)


def verify_password(password_hash: str, password: str) -> bool:
    hasher = _hasher()
    try:
        return _off_the_event_loop(hasher.verify, password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
