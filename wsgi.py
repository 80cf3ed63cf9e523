"""Entry point: `python wsgi.py` serves HTTP and Socket.IO; `wsgi:app` for gunicorn and flask CLI.

Monkey patching for the async mode happens here and only here (app/ never imports eventlet).
It is skipped for `flask` CLI commands, which run plain and synchronous.
"""
import os
import sys

ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
_running_cli = os.path.basename(sys.argv[0]) in ("flask", "pybabel") or "pytest" in sys.modules

if not _running_cli and ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif not _running_cli and ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

from app import create_app  # noqa: E402
from app.extensions import socketio  # noqa: E402

app = create_app(socketio_async_mode=None if not _running_cli else "threading")

if __name__ == "__main__":
    socketio.run(
        app,
        host=app.config["HOST"],
        port=app.config["PORT"],
        debug=False,
        use_reloader=False,
        log_output=os.environ.get("ACCESS_LOG", "0") == "1",
    )
