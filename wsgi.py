"""Entry point: `python wsgi.py` serves HTTP and Socket.IO; `wsgi:app` for gunicorn and flask CLI.

Monkey patching for the async mode happens here and only here (app/ never imports eventlet).
It is skipped for `flask` CLI commands, which run plain and synchronous.
"""
import os
import sys

ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
_running_cli = (
    os.path.basename(sys.argv[0]) in ("flask", "pybabel")
    or sys.argv[0].endswith(os.path.join("flask", "__main__.py"))
    or "pytest" in sys.modules
)
_blocking_runner = None

if not _running_cli and ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
    from eventlet import tpool

    _blocking_runner = tpool.execute
elif not _running_cli and ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
    import gevent

    def _blocking_runner(function, *args):
        return gevent.get_hub().threadpool.apply(function, args)

from app.core.capacity import raise_fd_limit, server_options  # noqa: E402

if not _running_cli:
    raise_fd_limit()  # before the app sizes MAX_CONNECTIONS from it

from app import create_app  # noqa: E402
from app.core.blocking import set_blocking_runner  # noqa: E402
from app.extensions import socketio  # noqa: E402

set_blocking_runner(_blocking_runner)
app = create_app(socketio_async_mode=None if not _running_cli else "threading")

if not _running_cli:
    from app.search.follower import start_follower

    # Every server process follows the search change log into its machine's index (the one
    # process holding the machine's lock writes) and keeps a warm searcher: docs/search.md. A
    # green-thread server has a whole index built by a process of its own.
    start_follower(app, build_elsewhere=_blocking_runner is not None)


def start_serving_process() -> None:
    """What a serving process does once, before its first client: `python wsgi.py` below, and
    gunicorn's worker through `post_worker_init` in gunicorn.conf.py."""
    import gc

    if _blocking_runner is not None:
        from app.core.database import start_wal_checkpointer
        from app.core.subscription import start_listening

        start_wal_checkpointer(app)
        # Hear the other processes before the first client arrives, not after it (and be
        # ready: /healthz/ready waits for it).
        start_listening(socketio.server)
    # The objects of the loaded app live as long as the process: keep them out of the
    # full collections, which otherwise pause the hub for tens of milliseconds.
    gc.freeze()


def serve_with_eventlet(host: str, port: int, **options) -> None:
    """What `socketio.run` does under eventlet, with TCP_NODELAY on the listening socket (the
    accepted ones inherit it): with Nagle's algorithm on, a keep-alive client waited 40 ms for
    its delayed ACK after every answer of more than one segment (docs/benchmarks.md, "Pages
    under load"). gunicorn sets it on its own sockets."""
    import socket

    import eventlet.wsgi

    family, _type, _proto, _name, address = socket.getaddrinfo(host, port)[0]
    listener = eventlet.listen(address, family)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    eventlet.wsgi.server(listener, app, **options)


if __name__ == "__main__":
    start_serving_process()
    options = {
        "log_output": os.environ.get("ACCESS_LOG", "0") == "1",
        # A green thread per connection: room for MAX_CONNECTIONS sockets and for HTTP beside.
        **server_options(ASYNC_MODE, app.config["MAX_CONNECTIONS"]),
    }
    if ASYNC_MODE == "eventlet":
        serve_with_eventlet(app.config["HOST"], app.config["PORT"], **options)
    else:
        socketio.run(app, host=app.config["HOST"], port=app.config["PORT"], debug=False,
                     use_reloader=False, **options)
