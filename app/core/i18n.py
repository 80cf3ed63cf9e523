"""Locale selection: the user's profile, else `?lang=`, else the cookie, else Accept-Language.

Outside a request (CLI commands, background jobs) the default locale is used.
"""
from flask import current_app, has_request_context, request
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "it": "Italiano"}
LANG_COOKIE = "lang"


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
    return request.accept_languages.best_match(available) or default


def select_timezone() -> str:
    return "UTC"
