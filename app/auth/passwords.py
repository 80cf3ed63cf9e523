"""Password hashing with Argon2id (argon2-cffi). Tests use cheaper parameters for speed.

Argon2 is deliberately slow (tens of milliseconds of CPU). Under eventlet every green thread of
the process shares one OS thread, so a hash would freeze all other requests and socket events
while it runs; `app.core.blocking.run_blocking` hands it to the hub's pool of real threads
(argon2-cffi releases the GIL). Elsewhere (threading, CLI, tests) it runs in the calling thread.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

from ..core.blocking import run_blocking

_strong = PasswordHasher()
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher() -> PasswordHasher:
    return _fast if current_app.config.get("PASSWORD_HASH_FAST") else _strong


def hash_password(password: str) -> str:
    return run_blocking(_hasher().hash, password)


def verify_password(password_hash: str, password: str) -> bool:
    hasher = _hasher()
    try:
        return run_blocking(hasher.verify, password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
