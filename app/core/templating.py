"""Template globals and filters: Markdown, locale-aware dates and numbers, languages, countries."""
from datetime import datetime

from flask import Flask, current_app, request
from babel.dates import format_datetime as format_wall_clock
from flask_babel import format_currency, format_decimal, get_locale

from . import date_formats
from .countries import country_name
from .i18n import language_choices
from .markdown import render_markdown
from .time import isoformat_utc


def _local_wall_clock(moment: datetime | None, style: str = "short") -> str:
    """A moment already in its own zone (a call's deadline), formatted without converting it."""
    return format_wall_clock(moment.replace(tzinfo=None), style, locale=get_locale()) if moment else ""


def euros(amount) -> str:
    """An amount in euros in the reader's locale: "€30,000", "30.000 €", "30 000 €".

    Whole amounts drop the cents the locale's currency pattern would add.
    """
    if amount is None:
        return ""
    pattern = get_locale().currency_formats["standard"].pattern
    if amount == int(amount):
        pattern = pattern.replace(".00", "")
    return format_currency(amount, "EUR", format=pattern, currency_digits=False)


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    date_formats.register(app)  # `|datetime` and `|date`: compiled patterns unless turned off
    app.jinja_env.filters["number"] = lambda n: format_decimal(n) if n is not None else ""
    app.jinja_env.filters["eur"] = euros
    app.jinja_env.filters["wall_clock"] = _local_wall_clock
    app.jinja_env.filters["iso"] = isoformat_utc
    app.jinja_env.filters["country"] = country_name

    @app.context_processor
    def inject_site_globals():
        return {
            "current_locale": str(get_locale() or "en"),
            "language_names": language_choices(current_app.config["LANGUAGES"]),
            "current_path": request.full_path.rstrip("?") if request else "/",
            "header_badges": _header_badges(),
        }


def _header_badges() -> dict:
    """Counts shown in the header (e.g. unread notifications). Features add providers."""
    badges: dict = {}
    for provider in HEADER_BADGE_PROVIDERS:
        badges.update(provider())
    return badges


#: callables returning {name: value}; the notifications feature registers its unread count
HEADER_BADGE_PROVIDERS: list = []
