"""Locale selection: the user's profile, else `?lang=`/the cookie, else Accept-Language."""
from flask import current_app, request
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "it": "Italiano"}
LANG_COOKIE = "lang"


def select_locale() -> str:
    available = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in available:
        return current_user.locale
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in available:
        return chosen
    return request.accept_languages.best_match(available) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return "UTC"
