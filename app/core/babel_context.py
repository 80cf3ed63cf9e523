"""Flask-Babel's per-request context found without three trips through `flask.g`'s LocalProxy.

Every translation and every date, number or money format Flask-Babel does asks its private
`_get_current_context()` two or three times (the domain, the translations, the locale, the
time zone), and each ask goes through `flask.g`, a werkzeug LocalProxy, twice (`not g`,
`hasattr`) and a third time to read the attribute: on the signed-in dashboard, with its
activity lines, role names and dates, that is about 280 asks and 7 % of the page's calls
(docs/benchmarks.md, "Signed-in pages"). This replaces that one function with one that reads
the application context's contextvar directly: the same namespace on the same `g`, created
the same way when missing, None outside an application context. Likewise `Domain.get_translations`
(`fast_translations`) remembers, on that per-request namespace, the translations it found for
the request's Locale object. Nothing is kept anywhere but where Flask-Babel keeps it (`g`, per
request).

Private internals of two libraries (`flask_babel._get_current_context`, `flask.globals._cv_app`),
so: BABEL_FAST_CONTEXT=0 keeps the stock function; so does a Flask or Flask-Babel without them
(checked at start-up, with a warning); tests/i18n/test_babel_context.py runs both ways.
"""
import logging
from types import SimpleNamespace

import flask_babel
from flask import Flask
from flask import globals as flask_globals

log = logging.getLogger(__name__)
STOCK = getattr(flask_babel, "_get_current_context", None)


def _app_context_var():
    return getattr(flask_globals, "_cv_app", None)


def fast_current_context():
    """What `flask_babel._get_current_context` returns, read from the contextvar directly."""
    ctx = _CV_APP.get(None)
    if ctx is None:
        return None
    g = ctx.g
    try:
        return g._flask_babel
    except AttributeError:
        g._flask_babel = SimpleNamespace()
        return g._flask_babel


_CV_APP = _app_context_var()
STOCK_TRANSLATIONS = getattr(getattr(flask_babel, "Domain", None), "get_translations", None)


def fast_translations(domain):
    """`Domain.get_translations`, remembered on the request's Flask-Babel namespace for the
    locale object it was found for: Flask-Babel's own looks its process-wide cache up by
    `str(locale)` on every `gettext` (60 times on the dashboard, babel's slow `Locale.__str__`
    each time). The memo is the same object Flask-Babel's cache holds; it is kept on `g` (this
    request only) and used only while `get_locale()` returns that very Locale object, so a
    `force_locale` block or a `refresh()` (new Locale objects) finds its own translations."""
    ctx = fast_current_context()
    if ctx is None:
        return STOCK_TRANSLATIONS(domain)
    locale = flask_babel.get_locale()
    memo = getattr(ctx, "_translations_memo", None)
    if memo is not None and memo[0] is locale and memo[1] is domain:
        return memo[2]
    translations = STOCK_TRANSLATIONS(domain)
    ctx._translations_memo = (locale, domain, translations)
    return translations


def missing_internals() -> list[str]:
    missing = []
    if STOCK is None:
        missing.append("flask_babel._get_current_context")
    if STOCK_TRANSLATIONS is None:
        missing.append("flask_babel.Domain.get_translations")
    if _CV_APP is None or not hasattr(_CV_APP, "get"):
        missing.append("flask.globals._cv_app")
    return missing


def install(wanted: bool) -> bool:
    """Use the fast lookup when `wanted` and the internals are there, else the stock one.
    Process-wide (Flask-Babel's module function); both give the same object."""
    missing = missing_internals() if wanted else []
    if missing:
        log.warning("BABEL_FAST_CONTEXT: Flask or Flask-Babel changed (%s missing); using the "
                    "stock lookup", ", ".join(missing))
    use_fast = wanted and not missing
    if STOCK is not None:
        flask_babel._get_current_context = fast_current_context if use_fast else STOCK
    if STOCK_TRANSLATIONS is not None:
        flask_babel.Domain.get_translations = (fast_translations if use_fast
                                               else STOCK_TRANSLATIONS)
    return use_fast


def register(app: Flask) -> None:
    install(app.config.get("BABEL_FAST_CONTEXT", True))
