"""Templates' gettext bound once per render (app/core/template_gettext.py) prints what the stock
Flask-Babel callables print: every language, plurals, contexts, escaping, `force_locale`."""
import pytest
from flask import render_template_string
from flask_babel import force_locale

from app import create_app
from app.core import template_gettext

SHIPPED = ["en", "it", "fr", "de", "es", "pt", "pl", "nl"]
TEMPLATE = """
{{ _("Projects") }}|{{ gettext("Sign out") }}|{{ _("Hello %(name)s", name=who) }}
|{{ _("100%% sure") }}|{{ _("Funded by the call %(call)s (application %(ref)s).", call=who, ref="A-1") }}
{% for n in (1, 2, 5, 22) %}|{{ ngettext("%(num)d new", "%(num)d new", n) }}
|{{ ngettext("At least %(num)d partner", "At least %(num)d partners", n) }}{% endfor %}
|{{ pgettext("diff line", "added") }}|{{ pgettext("organisation listed on a date", "added") }}
|{{ npgettext("ctx", "%(num)d apple", "%(num)d apples", 3) }}
|{% trans %}Projects{% endtrans %}
|{% trans count=2 %}{{ count }} thing{% pluralize %}{{ count }} things{% endtrans %}
{% from "projects/_macros.html" import status_badge %}
"""


@pytest.fixture
def stock_app(_schema, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    return create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": _schema,
                                            "TEMPLATE_GETTEXT_PER_RENDER": False})


def _render(application, language: str, who: str = "<b>Anna</b>") -> str:
    with application.test_request_context("/"), force_locale(language):
        return render_template_string(TEMPLATE, who=who)


def test_the_per_render_callables_are_installed_and_the_setting_turns_them_off(app, stock_app):
    assert template_gettext.usable(app) and template_gettext.usable(stock_app)
    with app.test_request_context("/"):
        assert "gettext" in app.jinja_env.globals
        context = {}
        for processor in app.template_context_processors[None]:
            context.update(processor())
        assert callable(context.get("_")) and callable(context.get("ngettext"))
    with stock_app.test_request_context("/"):
        context = {}
        for processor in stock_app.template_context_processors[None]:
            context.update(processor())
        assert "_" not in context and "ngettext" not in context


@pytest.mark.parametrize("language", SHIPPED)
def test_templates_print_the_same_translations_both_ways(app, stock_app, language):
    fast, stock = _render(app, language), _render(stock_app, language)
    assert fast == stock
    assert "&lt;b&gt;Anna&lt;/b&gt;" in fast and "<b>" not in fast  # variables still escaped
    if language != "en":
        assert "Projects|" not in fast.splitlines()[1]  # translated, not the source


def test_a_render_inside_force_locale_uses_that_language(app):
    with app.test_request_context("/?lang=de"):
        outer = render_template_string("{{ _('Sign out') }}")
        with force_locale("it"):
            inner = render_template_string("{{ _('Sign out') }}")
        assert render_template_string("{{ _('Sign out') }}") == outer
    assert outer != inner
