"""gunicorn settings read from the environment, like config.py (gunicorn loads this file itself).

    gunicorn -k eventlet -w 1 -b 127.0.0.1:8001 wsgi:app     (or -k gevent)

One worker per process (Socket.IO needs sticky sessions: scale with processes behind the proxy).
`worker_connections` makes room for MAX_CONNECTIONS Socket.IO connections plus plain HTTP
(app/core/capacity.py); the open-file limit is raised to its hard limit first.
`app.core.capacity` is loaded by its path: importing the `app` package here, in gunicorn's
master before the worker monkey-patches, would import Flask and its friends unpatched.
"""
import os
from importlib.util import module_from_spec, spec_from_file_location

_spec = spec_from_file_location("capacity", os.path.join(os.path.dirname(__file__), "app", "core",
                                                        "capacity.py"))
capacity = module_from_spec(_spec)
_spec.loader.exec_module(capacity)

capacity.raise_fd_limit()
_max = os.environ.get("MAX_CONNECTIONS", "").strip()
worker_connections = (int(_max) if _max else capacity.default_max_connections()) + capacity.HTTP_RESERVE
keepalive = capacity.KEEPALIVE_SECONDS


def post_worker_init(worker):
    """The worker has loaded (and monkey-patched) wsgi.py: start what `python wsgi.py` starts."""
    import wsgi

    wsgi.start_serving_process()
