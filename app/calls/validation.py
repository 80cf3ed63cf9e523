"""Checking a call's fields: every field of the editor, the API and the CLI, one error each.

`clean_call(data)` takes strings (a form, the command line) or ready values and returns the
values to store, or raises `ValidationError` naming the field that is wrong.
"""
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app
from flask_babel import gettext as _

from ..core.countries import COUNTRIES, EU_MEMBERS
from ..core.errors import ValidationError
from ..core.text import slugify
from ..orgs.models import MUSEUM_SIZES, ORG_KINDS
from ..projects.areas import APPLICATION_AREAS
from .models import DEFAULT_TIMEZONE, SCALE_MAX

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TITLE_MAX, TEXT_MAX = 200, 20000
MONEY_MAX = 100_000_000
#: associated countries eligible by default beside the EU 27 (config `CALLS_ASSOCIATED_COUNTRIES`)
ASSOCIATED_COUNTRIES = ("IS", "LI", "NO", "AL", "BA", "ME", "MK", "RS", "UA", "MD", "GE", "AM")


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def default_countries() -> list[str]:
    associated = current_app.config.get("CALLS_ASSOCIATED_COUNTRIES", ASSOCIATED_COUNTRIES)
    return sorted(EU_MEMBERS) + [c for c in associated if c not in EU_MEMBERS]


def defaults() -> dict:
    """What a new call starts from: the programme's usual rules."""
    return {"language": "en", "timezone": DEFAULT_TIMEZONE, "countries": default_countries(),
            "lead_kinds": ["museum"], "museum_sizes": ["small", "medium"], "min_partners": 1,
            "partner_kinds": ["technology", "creative", "research"], "areas": [],
            "threshold": 3.0, "evaluators_per_application": 3, "two_stage": False,
            "criteria": [(str(_("Excellence")), 40), (str(_("Impact")), 35),
                         (str(_("Implementation")), 25)]}


def clean_call(data: dict) -> dict:
    language = data.get("language") or "en"
    if language not in languages():
        raise ValidationError(_("Choose one of the site's languages."), field="language")
    timezone = _timezone(data.get("timezone") or DEFAULT_TIMEZONE)
    opens = _moment(data.get("opens"), timezone, "opens")
    closes = _moment(data.get("closes"), timezone, "closes")
    if closes <= opens:
        raise ValidationError(_("The call must close after it opens."), field="closes")
    budget = _integer(data.get("budget_eur"), "budget_eur", 1, MONEY_MAX)
    max_grant = _integer(data.get("max_grant_eur"), "max_grant_eur", 1, MONEY_MAX)
    if max_grant > budget:
        raise ValidationError(_("The maximum grant cannot exceed the total budget."),
                              field="max_grant_eur")
    return {
        "slug": _slug(data.get("slug")), "language": language, "timezone": timezone,
        "texts": _texts(data.get("texts") or {}, language),
        "opens_at": opens, "closes_at": closes, "budget_eur": budget, "max_grant_eur": max_grant,
        "countries": _countries(data.get("countries")),
        "lead_kinds": _choices(data.get("lead_kinds"), ORG_KINDS, "lead_kinds", required=True),
        "museum_sizes": _choices(data.get("museum_sizes"), MUSEUM_SIZES, "museum_sizes",
                                 required=True),
        "min_partners": _integer(data.get("min_partners") or 0, "min_partners", 0, 20),
        "partner_kinds": _choices(data.get("partner_kinds"), ORG_KINDS, "partner_kinds"),
        "areas": _choices(data.get("areas"), APPLICATION_AREAS, "areas", required=True),
        "criteria": _criteria(data.get("criteria")),
        "threshold": _threshold(data.get("threshold")),
        "evaluators_per_application": _integer(data.get("evaluators_per_application"),
                                               "evaluators_per_application", 1, 10),
        "two_stage": bool(data.get("two_stage")),
        "results": _text(data.get("results"), "results"),
        "max_per_country": _optional(data.get("max_per_country"), "max_per_country",
                                     lambda v: _integer(v, "max_per_country", 1, 1000)),
        "min_small_share": _optional(data.get("min_small_share"), "min_small_share", _share),
        "applications_per_lead": _integer(data.get("applications_per_lead") or 1,
                                          "applications_per_lead", 1, 20),
        "declarations": _declarations(data.get("declarations")),
    }


def _optional(value, field: str, clean):
    """Empty means "no such rule" (None)."""
    if value is None or str(value).strip() == "":
        return None
    return clean(value)


def _share(value) -> float:
    try:
        share = float(str(value).strip().replace(",", "."))
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise ValidationError(_("Give a share from 0 to 1, e.g. 0.5."), field="min_small_share")
    return round(share, 3)


def _declarations(value) -> list[str]:
    """One statement a line (or a list of them): what the applicant declares by ticking it."""
    lines = value.splitlines() if isinstance(value, str) else (value or [])
    cleaned = [" ".join(str(line).split()) for line in lines if str(line).strip()]
    if len(cleaned) > 20 or any(len(line) > 500 for line in cleaned):
        raise ValidationError(_("At most 20 declarations of 500 characters each."),
                              field="declarations")
    return cleaned


def _slug(value) -> str:
    slug = (value or "").strip().lower()
    if not SLUG_RE.match(slug) or len(slug) > 80:
        raise ValidationError(_("Use lower-case letters, digits and hyphens (at most 80)."),
                              field="slug")
    return slug


def _text(value, field: str, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(_("At most %(limit)s characters.", limit=limit), field=field)
    return text


def _texts(texts: dict, language: str) -> dict:
    cleaned = {}
    for locale in languages():
        given = texts.get(locale) or {}
        entry = {"title": _text(given.get("title"), f"title_{locale}", TITLE_MAX),
                 "description": _text(given.get("description"), f"description_{locale}"),
                 "faq": _text(given.get("faq"), f"faq_{locale}")}
        if locale == language:
            for field in ("title", "description"):
                if not entry[field]:
                    raise ValidationError(_("Required in the call's main language."),
                                          field=f"{field}_{locale}")
        if any(entry.values()):
            cleaned[locale] = entry
    return cleaned


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        name = ""
    if name not in available_timezones():
        raise ValidationError(_("Give a time zone such as Europe/Brussels."), field="timezone")
    return name


def _moment(value, timezone: str, field: str) -> datetime:
    """A local date and time in the call's zone, stored as naive UTC."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat((value or "").strip())
        except ValueError:
            raise ValidationError(_("Give a date and time, e.g. 2026-03-31 17:00."),
                                  field=field) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(UTC).replace(tzinfo=None)


THOUSANDS_RE = re.compile(r"^\d{1,3}([ .,\u00a0\u202f])\d{3}(\1\d{3})*$")


def _integer(value, field: str, low: int, high: int) -> int:
    """A whole number; `30000`, `30,000`, `30.000` and `30 000` are all thirty thousand."""
    text = str(value).strip()
    if THOUSANDS_RE.match(text):
        text = re.sub(r"\D", "", text)
    try:
        number = value if isinstance(value, int) else int(text)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise ValidationError(_("Give a whole number from %(low)s to %(high)s.", low=low,
                                high=high), field=field)
    return number


def _as_list(value) -> list[str]:
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,;]+", value) if part]
    return [str(part) for part in (value or [])]


def _choices(value, vocabulary: dict, field: str, *, required: bool = False) -> list[str]:
    chosen = list(dict.fromkeys(_as_list(value)))
    unknown = [key for key in chosen if key not in vocabulary]
    if unknown:
        raise ValidationError(_("Unknown choice: %(value)s.", value=", ".join(unknown)),
                              field=field)
    if required and not chosen:
        raise ValidationError(_("Choose at least one."), field=field)
    return chosen


def _countries(value) -> list[str]:
    codes = list(dict.fromkeys(code.upper() for code in _as_list(value)))
    unknown = [code for code in codes if code not in COUNTRIES]
    if unknown:
        raise ValidationError(_("Unknown country code: %(codes)s.", codes=", ".join(unknown)),
                              field="countries")
    if not codes:
        raise ValidationError(_("Name at least one eligible country."), field="countries")
    return codes


def _criteria(value) -> list[tuple[str, int, str]]:
    """Lines of `Title | weight`, pairs, or `{"key", "name", "weight"}` (an import); the
    weights must add up to 100. Returns (title, weight, key) with a key made from the title
    when none is given."""
    pairs = []
    lines = value.splitlines() if isinstance(value, str) else (value or [])
    for line in lines:
        key = ""
        if isinstance(line, dict):
            title, weight, key = line.get("name"), line.get("weight"), line.get("key") or ""
        elif isinstance(line, str):
            if not line.strip():
                continue
            title, _bar, weight = line.rpartition("|")
        else:
            title, weight = line[0], line[1]
        title = str(title).strip()
        try:
            weight = int(str(weight).strip())
        except ValueError:
            weight = 0
        if not title or len(title) > 120 or not 1 <= weight <= 100:
            raise ValidationError(_("Write one criterion a line as “Title | weight”, "
                                    "with a weight from 1 to 100."), field="criteria")
        key = slugify(str(key) or title, max_length=40)
        if not key:
            raise ValidationError(_("Give each criterion a key of letters and digits."),
                                  field="criteria")
        pairs.append((title, weight, key))
    if not pairs or sum(weight for _title, weight, _key in pairs) != 100:
        raise ValidationError(_("The criteria's weights must add up to 100."), field="criteria")
    return pairs


def _threshold(value) -> float:
    try:
        threshold = float(str(value).strip().replace(",", "."))
    except ValueError:
        threshold = -1.0
    if not 0 <= threshold <= SCALE_MAX:
        raise ValidationError(_("Give a score from 0 to %(max)s.", max=SCALE_MAX),
                              field="threshold")
    return round(threshold, 2)
