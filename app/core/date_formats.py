"""Templates' `|datetime` and `|date` filters through date patterns compiled once per locale.

Flask-Babel's `format_datetime(moment, "short")` asks Babel to look the locale's datetime,
date and time patterns up, parse them (cached) and apply each through a fresh `DateTimeFormat`
whose `__getitem__` dispatches every field: about 170 Python calls per date, and the signed-in
dashboard prints 23 of them (18 % of its calls; docs/benchmarks.md, "Signed-in pages"). Here
each (locale, style) is compiled once into its literal pieces and one small function per field:
the day, month, year, hour, minute and second numbers are formatted as Babel formats them
(`'%0*d'`, the two-digit year cut the same way), a month or weekday name or the am/pm marker is
asked of Babel once per locale and value and remembered, and any other field (eras, time-zone
names, weeks...) goes to Babel's own `DateTimeFormat` every time. The moment is converted to the
request's time zone exactly as Flask-Babel and Babel convert it. What is remembered is the
locale's patterns and names, the same for every reader: nothing of any request or user.

Private Babel and Flask-Babel internals (`babel.dates._ensure_datetime_tzinfo`,
`flask_babel._get_format`), so: FAST_DATE_FORMAT=0 keeps the stock filters; so does a Babel or
Flask-Babel without them, or one whose output differs from the compiled formats on a sample of
moments in every configured language (checked at start-up, with a warning).
tests/i18n/test_date_formats.py compares both ways in every language.
"""
import logging
from datetime import datetime, timedelta

import flask_babel
import pytz
from babel import dates as babel_dates
from flask import Flask
from flask_babel import get_locale, get_timezone

log = logging.getLogger(__name__)
STYLES = ("short", "medium", "long", "full")
#: the number fields formatted here, from these attributes of the moment
NUMBERS = {"d": lambda v: v.day, "H": lambda v: v.hour, "m": lambda v: v.minute,
           "s": lambda v: v.second, "h": lambda v: v.hour % 12 or 12, "y": lambda v: v.year}
#: fields whose text depends on one value only: asked of Babel once per locale and value
NAMED = {"M": lambda v: v.month, "L": lambda v: v.month, "a": lambda v: v.hour >= 12,
         "E": lambda v: v.weekday(), "c": lambda v: v.weekday(), "e": lambda v: v.weekday()}


def _field(char: str, num: int, locale):
    """A function (value, reference date) -> text giving what Babel gives for this field."""
    name = char * num
    spec = f"0{num}d"  # Babel's '%0*d' % (num, value)
    if char == "y" and num == 2:
        return lambda value, _reference: format(value.year, spec)[-2:]
    if char in NUMBERS:
        number_of = NUMBERS[char]
        return lambda value, _reference: format(number_of(value), spec)
    if char in ("M", "L") and num <= 2:
        return lambda value, _reference: format(value.month, spec)
    if char in NAMED:
        key_of, known = NAMED[char], {}

        def named(value, reference):
            key = key_of(value)
            text = known.get(key)
            if text is None:
                text = known[key] = babel_dates.DateTimeFormat(value, locale, reference)[name]
            return text
        return named
    return lambda value, reference: babel_dates.DateTimeFormat(value, locale, reference)[name]


class Compiled:
    """One Babel pattern as literal text and field functions, for one locale."""

    __slots__ = ("pieces",)

    def __init__(self, pattern: str, locale):
        pieces = []
        for kind, token in babel_dates.tokenize_pattern(pattern):
            if kind == "chars":
                if pieces and isinstance(pieces[-1], str):
                    pieces[-1] += token
                else:
                    pieces.append(token)
            else:
                pieces.append(_field(token[0], token[1], locale))
        self.pieces = tuple(pieces)

    def apply(self, value, reference=None) -> str:
        return "".join([piece if piece.__class__ is str else piece(value, reference)
                        for piece in self.pieces])


class LocaleFormats:
    """A locale's compiled date, time and datetime formats, built on first use per style."""

    def __init__(self, locale):
        self.locale = locale
        self._datetime: dict[str, tuple] = {}
        self._date: dict[str, Compiled] = {}

    def datetime(self, style: str) -> tuple:
        found = self._datetime.get(style)
        if found is None:
            locale = self.locale
            frame = babel_dates.get_datetime_format(style, locale=locale).replace("'", "")
            found = self._datetime[style] = (
                frame,
                Compiled(babel_dates.get_time_format(style, locale=locale).pattern, locale),
                Compiled(babel_dates.get_date_format(style, locale=locale).pattern, locale))
        return found

    def date(self, style: str) -> Compiled:
        found = self._date.get(style)
        if found is None:
            pattern = babel_dates.get_date_format(style, locale=self.locale).pattern
            found = self._date[style] = Compiled(pattern, self.locale)
        return found


_BY_LOCALE: dict = {}
#: the Locale object last asked for and its formats: a request's dates all come with the same
#: Locale object, and finding it by identity skips babel's `Locale.__hash__`/`__eq__` (five
#: `hasattr`s) per date; the formats are the process-wide ones of `_BY_LOCALE`, no user's data
_last: tuple = (None, None)


def _formats(locale) -> LocaleFormats:
    global _last
    last = _last
    if last[0] is locale and locale is not None:
        return last[1]
    found = _BY_LOCALE.get(locale)
    if found is None:
        found = _BY_LOCALE[locale] = LocaleFormats(locale)
    _last = (locale, found)
    return found


def format_datetime_in(moment: datetime, style: str, locale, tzinfo) -> str:
    """What `babel.dates.format_datetime(moment, style, tzinfo, locale)` returns."""
    if tzinfo is pytz.UTC and moment.tzinfo is None:
        moment = moment.replace(tzinfo=tzinfo)  # what Babel's conversion of naive UTC gives
    else:
        moment = babel_dates._ensure_datetime_tzinfo(moment, tzinfo)
    frame, time_format, date_format = _formats(locale).datetime(style)
    day = moment.date()
    # as Babel: the time part applied to `timetz()` with the date as reference, the date part
    # to `date()`, then put into the locale's frame in the same order
    return (frame.replace("{0}", time_format.apply(moment.timetz(), day))
            .replace("{1}", date_format.apply(day)))


def format_date_in(day, style: str, locale, tzinfo) -> str:
    """What Flask-Babel's `format_date(day, style)` returns: a datetime is taken to the
    user's zone first (as `flask_babel.to_user_timezone`), a date is printed as it is."""
    if isinstance(day, datetime):
        if day.tzinfo is None:
            day = day.replace(tzinfo=pytz.UTC)
        day = tzinfo.normalize(day.astimezone(tzinfo)).date()
    return _formats(locale).date(style).apply(day)


def local_datetime(moment: datetime | None, style: str = "medium") -> str:
    """The `|datetime` filter: the request's locale and time zone, compiled patterns."""
    if not moment:
        return ""
    if style not in STYLES:
        return flask_babel.format_datetime(moment, style)
    return format_datetime_in(moment, style, get_locale(), get_timezone())


def local_date(day, style: str = "medium") -> str:
    """The `|date` filter."""
    if not day:
        return ""
    if style not in STYLES:
        return flask_babel.format_date(day, style)
    return format_date_in(day, style, get_locale(), get_timezone())


def _stock_formats_overridden(app: Flask) -> bool:
    """Flask-Babel's `date_formats` may map a style to a pattern of its own: then stock."""
    babel = app.extensions.get("babel")
    formats = getattr(getattr(babel, "instance", None), "date_formats", None) or {}
    return any(formats.get(f"{kind}.{style}") for kind in ("datetime", "date") for style in STYLES)


def _samples() -> list[datetime]:
    start = datetime(2024, 1, 1, 0, 7, 9)
    return [start + timedelta(days=37 * n, hours=5 * n, minutes=13 * n) for n in range(12)]


def differences(languages: list[str], zone: str = "UTC", moments=None) -> list[str]:
    """Where the compiled formats and Babel's disagree for these moments (default: a sample of
    a year) in these languages and time zone (a pytz zone, as Flask-Babel gives); empty: none."""
    from babel import Locale

    found = []
    tzinfo = pytz.timezone(zone)
    for language in languages:
        locale = Locale.parse(language)
        for moment in moments or _samples():
            for style in STYLES:
                ours = format_datetime_in(moment, style, locale, tzinfo)
                theirs = babel_dates.format_datetime(moment, style, tzinfo=tzinfo, locale=locale)
                if ours != theirs:
                    found.append(f"{language} {style} {moment}: {ours!r} != {theirs!r}")
                local_day = tzinfo.normalize(moment.replace(tzinfo=pytz.UTC).astimezone(tzinfo))
                for day in (moment, moment.date()):
                    ours = format_date_in(day, style, locale, tzinfo)
                    theirs = babel_dates.format_date(
                        local_day if day is moment else day, style, locale=locale)
                    if ours != theirs:
                        found.append(f"{language} date {style} {day}: {ours!r} != {theirs!r}")
    return found


def missing_internals() -> list[str]:
    needed = {"babel.dates._ensure_datetime_tzinfo": getattr(babel_dates, "_ensure_datetime_tzinfo",
                                                              None),
              "babel.dates.tokenize_pattern": getattr(babel_dates, "tokenize_pattern", None),
              "babel.dates.DateTimeFormat": getattr(babel_dates, "DateTimeFormat", None),
              "babel.dates.get_datetime_format": getattr(babel_dates, "get_datetime_format", None)}
    return [name for name, thing in needed.items() if thing is None]


def usable(app: Flask) -> bool:
    """The internals are there, no style is overridden, and the output is Babel's."""
    missing = missing_internals()
    if missing:
        log.warning("FAST_DATE_FORMAT: Babel or Flask-Babel changed (%s missing); dates use "
                    "the stock filters", ", ".join(missing))
        return False
    if _stock_formats_overridden(app):
        log.warning("FAST_DATE_FORMAT: Flask-Babel's date_formats name patterns of their own; "
                    "dates use the stock filters")
        return False
    try:
        wrong = differences(app.config.get("LANGUAGES") or ["en"],
                            app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    except Exception:  # noqa: BLE001 - any surprise in the internals means: use the stock path
        log.warning("FAST_DATE_FORMAT: the compiled formats failed; dates use the stock filters",
                    exc_info=True)
        return False
    if wrong:
        log.warning("FAST_DATE_FORMAT: the compiled formats differ from Babel's (%s); dates use "
                    "the stock filters", wrong[0])
        return False
    return True


def stock_datetime(moment: datetime | None, style: str = "medium") -> str:
    return flask_babel.format_datetime(moment, style) if moment else ""


def stock_date(day, style: str = "medium") -> str:
    return flask_babel.format_date(day, style) if day else ""


def register(app: Flask) -> None:
    """The `|datetime` and `|date` filters: compiled unless FAST_DATE_FORMAT=0 or unusable."""
    fast = app.config.get("FAST_DATE_FORMAT", True) and usable(app)
    app.jinja_env.filters["datetime"] = local_datetime if fast else stock_datetime
    app.jinja_env.filters["date"] = local_date if fast else stock_date
    app.extensions["fast_date_format"] = fast

