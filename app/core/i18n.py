"""Locale selection: the user's profile, else `?lang=`, else the cookie, else Accept-Language.

Outside a request (CLI commands, background jobs) the default locale is used. The language
switch names every language in that language (a German reader looks for "Deutsch", not
"German"); a language is offered once its catalogue lands and its code joins LANGUAGES.
"""
from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

#: every interface language, by its own name; config LANGUAGES says which are shipped
LANGUAGE_NAMES = {
    "en": "English", "it": "Italiano", "fr": "Français", "de": "Deutsch", "es": "Español",
    "pt": "Português", "pl": "Polski", "nl": "Nederlands",
}
#: the same languages named in the reader's language ("Titre (allemand)")
LANGUAGE_LABELS = {
    "en": _l("English"), "it": _l("Italian"), "fr": _l("French"), "de": _l("German"),
    "es": _l("Spanish"), "pt": _l("Portuguese"), "pl": _l("Polish"), "nl": _l("Dutch"),
}
LANG_COOKIE = "lang"


def language_choices(codes: list[str]) -> dict[str, str]:
    """The shipped languages for a switch, by own name in alphabetical order (Deutsch, English,…)."""
    return dict(sorted(((code, LANGUAGE_NAMES.get(code, code)) for code in codes),
                       key=lambda item: item[1].casefold()))


def best_language(header: str | None, available: list[str]) -> str | None:
    """The shipped language a reader's Accept-Language header prefers most, or None.

    Ranges are tried by quality (ties keep the header's order); each range matches its exact
    code first, then its primary subtag, so "pt-BR, en;q=0.3" gives Portuguese, not English
    (Werkzeug's best_match prefers any exact match over a region fallback). "*" matches nothing:
    the default locale is the caller's to choose.
    """
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower().replace("_", "-")))
    shipped = {code.lower(): code for code in available}
    for _quality, _position, tag in sorted(ranked):
        for candidate in (tag, tag.split("-")[0]):
            if candidate in shipped:
                return shipped[candidate]
    return None


def select_locale() -> str:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    available = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in available:
        return current_user.locale
    for chosen in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in available:
            return chosen
    return best_language(request.headers.get("Accept-Language"), available) or default


def select_timezone() -> str:
    return "UTC"
