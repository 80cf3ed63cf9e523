"""Flask-Babel's context read from Flask's contextvar (app/core/babel_context.py) gives what the
stock lookup gives: the same namespace on `g`, None outside an app context, the same
translations, lazy strings and formats in every language; BABEL_FAST_CONTEXT=0 is the stock."""
from datetime import datetime

import flask_babel
import pytest
from flask import g
from flask_babel import force_locale, format_datetime, gettext, lazy_gettext, ngettext

from app.core import babel_context
from app.core.templating import euros

SHIPPED = ["en", "it", "fr", "de", "es", "pt", "pl", "nl"]


@pytest.fixture
def restore_install(app):
    yield
    babel_context.install(app.config["BABEL_FAST_CONTEXT"])


def _sample(language: str) -> list[str]:
    moment = datetime(2026, 3, 14, 15, 9, 26)
    with force_locale(language):
        return [gettext("Projects"), str(lazy_gettext("Sign out")),
                ngettext("%(num)d new", "%(num)d new", 3), format_datetime(moment, "short"),
                euros(30000), str(flask_babel.get_locale())]


def test_the_fast_lookup_is_installed_and_finds_the_stock_namespace(app):
    assert babel_context.missing_internals() == []
    assert flask_babel._get_current_context is babel_context.fast_current_context
    with app.test_request_context("/"):
        fast = babel_context.fast_current_context()
        assert fast is babel_context.STOCK() and fast is g._flask_babel
    with app.app_context():
        assert babel_context.STOCK() is babel_context.fast_current_context()


def test_outside_an_application_context_both_give_none(app):
    with app.app_context():
        pass
    # the `app` fixture keeps a context pushed; look from a context-free thread instead
    from threading import Thread

    seen = []
    thread = Thread(target=lambda: seen.append((babel_context.fast_current_context(),
                                                babel_context.STOCK())))
    thread.start()
    thread.join()
    assert seen == [(None, None)]


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_and_formats_are_the_same_both_ways(app, restore_install, language):
    with app.test_request_context("/"):
        fast = _sample(language)
    assert babel_context.install(False) is False
    assert flask_babel._get_current_context is babel_context.STOCK
    with app.test_request_context("/"):
        stock = _sample(language)
    assert fast == stock
    if language != "en":
        assert fast[0] != "Projects"


def test_translations_follow_the_locale_within_one_request(app, restore_install):
    """The per-request memo of `Domain.get_translations` is for one Locale object: a
    `force_locale` block, and the request's own language after it, find their own."""
    assert flask_babel.Domain.get_translations is babel_context.fast_translations
    with app.test_request_context("/"):
        with force_locale("de"):
            german = gettext("Projects")
            assert gettext("Projects") == german
            with force_locale("fr"):
                french = gettext("Projects")
            assert gettext("Projects") == german
        with force_locale("it"):
            italian = gettext("Projects")
    assert babel_context.install(False) is False
    assert flask_babel.Domain.get_translations is babel_context.STOCK_TRANSLATIONS
    with app.test_request_context("/"):
        for language, seen in (("de", german), ("fr", french), ("it", italian)):
            with force_locale(language):
                assert gettext("Projects") == seen
    assert len({german, french, italian}) == 3
