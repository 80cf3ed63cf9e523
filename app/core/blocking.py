"""Running CPU-heavy work (password hashing) without freezing a green-thread server.

Under eventlet or gevent all green threads share one OS thread, so a slow C call would stall every
other request and socket event. `wsgi.py` — the one place that knows the async mode — installs
a runner that hands such calls to the hub's pool of real threads; everywhere else (threading,
CLI, tests) the call simply runs in the calling thread. No code in app/ imports eventlet.
"""
from collections.abc import Callable

_runner: Callable | None = None


def set_blocking_runner(runner: Callable | None) -> None:
    global _runner
    _runner = runner


def run_blocking(function: Callable, *args):
    if _runner is None:
        return function(*args)
    return _runner(function, *args)
