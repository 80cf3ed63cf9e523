"""Templates' `url_for` for static files and argument-free pages, built once per application.

Every signed-in page asks `url_for` 15–60 times, and each ask walks Flask's and Werkzeug's
build path (request context, URL defaults, the rule's converters: about 25 calls); 9 % of the
chat page's calls. A third of them have no per-request part at all: the stylesheet and script
URLs (`url_for('static', filename=...)`) and the header's and footer's links without arguments
(`url_for('calls.index')`). Those are remembered per application, keyed by the request's
script root, the endpoint and the file name: the same URL for every reader, holding no byte of
any request. Everything else (arguments, `_external`, `_anchor`, a relative `.endpoint`)
goes to Flask's own `url_for`, as do all calls outside a request.

Reads Flask's private request contextvar (`flask.globals._cv_request`), so: TEMPLATE_URL_CACHE=0
keeps Flask's `url_for`; so does a Flask without it, or an app with URL default functions (they
could make a URL depend on the request; checked at start-up, with a warning).
tests/main/test_template_urls.py runs both ways.
"""
import logging

from flask import Flask
from flask import globals as flask_globals

log = logging.getLogger(__name__)
#: more distinct static files and plain pages than any installation has: past it, start over
LIMIT = 2048


def _request_contextvar():
    return getattr(flask_globals, "_cv_request", None)


def cached_url_for(app: Flask, stock=None):
    """A `url_for` for templates: Flask's, with static and argument-free URLs remembered."""
    stock = stock or app.url_for
    request_var = _request_contextvar()
    built: dict[tuple, str] = {}

    def url_for(endpoint: str, **values) -> str:
        if values:
            if endpoint != "static" or len(values) != 1 or "filename" not in values:
                return stock(endpoint, **values)
        elif endpoint[:1] == ".":
            return stock(endpoint)
        ctx = request_var.get(None)
        adapter = ctx.url_adapter if ctx is not None else None
        if adapter is None:
            return stock(endpoint, **values)
        key = (adapter.script_name, endpoint, values.get("filename"))
        url = built.get(key)
        if url is None:
            url = stock(endpoint, **values)
            if len(built) >= LIMIT:
                built.clear()
            built[key] = url
        return url

    url_for.stock = stock
    return url_for


def usable(app: Flask) -> bool:
    if _request_contextvar() is None:
        log.warning("TEMPLATE_URL_CACHE: flask.globals._cv_request is gone; templates use "
                    "Flask's url_for")
        return False
    if any(app.url_default_functions.values()):
        log.warning("TEMPLATE_URL_CACHE: the app has URL default functions; templates use "
                    "Flask's url_for")
        return False
    return True


def register(app: Flask) -> None:
    """Install the templates' `url_for` after every blueprint is registered."""
    if app.config.get("TEMPLATE_URL_CACHE", True) and usable(app):
        app.jinja_env.globals["url_for"] = cached_url_for(app)
