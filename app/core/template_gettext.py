"""Templates' `_()`, `gettext`, `ngettext`, `pgettext`, `npgettext` bound once per render.

Flask-Babel installs Jinja's i18n callables as lambdas that ask `get_translations()` on every
call, and each ask walks `flask.g` through a LocalProxy three times (domain, context, locale):
a workspace page says `_()` 70–300 times, and that walk was 7–18 % of its server time
(docs/benchmarks.md, "Pages under load"). Here a context processor resolves the translations
object once when `render_template` starts and hands the template callables bound to it, with
Jinja's newstyle semantics copied exactly (autoescape makes the string Markup; the result is
always a %-format, `num` and `context` are set as Jinja sets them). The locale cannot change
in the middle of one render, and a render inside `force_locale` (an e-mail in its reader's
language) resolves its own translations, so what a template prints is what the stock path
prints. They take Jinja's evaluation context (all they read is its autoescape flag), not the
whole context: Jinja copies the context for every call of a context-taking callable made in a
block or loop that `{% set %}`s a variable, 30 copies on the dashboard. Nothing is kept
between renders: the translations object is Flask-Babel's own, one per language for the whole
process, and holds no byte of any user.

Template variables shadow Jinja globals, so `{{ _("…") }}`, `{% trans %}` blocks and included
templates use these; macros imported without context keep the stock globals (same strings).
TEMPLATE_GETTEXT_PER_RENDER=0 keeps the stock path; so does a Jinja environment without
Flask-Babel's newstyle i18n callables (checked at start-up, with a warning).
"""
import logging

from flask import Flask
from flask_babel import get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup

log = logging.getLogger(__name__)
NAMES = ("gettext", "ngettext", "pgettext", "npgettext")


def bound_callables(translations) -> dict:
    """Jinja's newstyle i18n callables bound to one translations object."""
    ugettext, ungettext = translations.ugettext, translations.ungettext
    upgettext, unpgettext = translations.upgettext, translations.unpgettext

    @pass_eval_context
    def gettext(__eval_ctx, __string, **variables):
        rv = ugettext(__string)
        if __eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704  (the catalogue's own text, as in Jinja's i18n extension)
        if not variables and "%" not in rv:
            return rv  # what `rv % {}` gives, without Markup's formatting machinery
        return rv % variables

    @pass_eval_context
    def ngettext(__eval_ctx, __singular, __plural, __num, **variables):
        variables.setdefault("num", __num)
        rv = ungettext(__singular, __plural, __num)
        if __eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704  (the catalogue's own text, as in Jinja's i18n extension)
        return rv % variables

    @pass_eval_context
    def pgettext(__eval_ctx, __string_ctx, __string, **variables):
        variables.setdefault("context", __string_ctx)
        rv = upgettext(__string_ctx, __string)
        if __eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704  (the catalogue's own text, as in Jinja's i18n extension)
        return rv % variables

    @pass_eval_context
    def npgettext(__eval_ctx, __string_ctx, __singular, __plural, __num, **variables):
        variables.setdefault("context", __string_ctx)
        variables.setdefault("num", __num)
        rv = unpgettext(__string_ctx, __singular, __plural, __num)
        if __eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704  (the catalogue's own text, as in Jinja's i18n extension)
        return rv % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext,
            "npgettext": npgettext}


def usable(app: Flask) -> bool:
    """The stock i18n callables this replaces are there, newstyle (Flask-Babel's)."""
    env = app.jinja_env
    return (getattr(env, "newstyle_gettext", False)
            and all(callable(env.globals.get(name)) for name in NAMES))


def register(app: Flask) -> None:
    if not app.config.get("TEMPLATE_GETTEXT_PER_RENDER", True):
        return
    if not usable(app):
        log.warning("TEMPLATE_GETTEXT_PER_RENDER: Jinja has no newstyle i18n callables from "
                    "Flask-Babel; templates use the stock gettext")
        return

    @app.context_processor
    def gettext_for_this_render():
        return bound_callables(get_translations())
