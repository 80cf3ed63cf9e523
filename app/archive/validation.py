"""Validation of a case study's editable fields (shared by the editor, the import and the API).

Plain functions: they normalise input and raise `ValidationError` naming the field; nothing here
reads or writes the database.
"""
from flask_babel import gettext as _

from ..core.errors import ValidationError
from ..core.text import check_payload, clean_text, parse_tags
from ..core.time import utcnow
from ..projects.areas import APPLICATION_AREAS
from .technologies import canonical_tags
from .vocabulary import IMPACT_FIGURES, LANGUAGES, LICENSES, SECTIONS, budget_range_for

SUMMARY_MAX = 600
TITLE_MAX = 200
COVER_ALT_MAX = 300
SECTION_MAX = 50_000


def clean_case_study_input(data: dict) -> dict:
    """Validate and normalise the editable fields; raise ValidationError naming the field."""
    title = clean_text(data.get("title"), field="title", max_length=TITLE_MAX, required=True,
                       empty=_("A title is required."),
                       too_long=_("The title is too long (at most %(n)d characters).", n=TITLE_MAX))
    summary = clean_text(data.get("summary"), field="summary", max_length=SUMMARY_MAX,
                         multiline=True, too_long=_(
                             "The summary is too long (at most %(n)d characters).", n=SUMMARY_MAX))
    language = str(data.get("language") or "en").strip().lower()
    if language not in LANGUAGES:
        raise ValidationError(_("Unknown language %(code)s.", code=language[:10]),
                              field="language")
    year = optional_int(data.get("year"), "year", 1990, utcnow().year + 1)
    budget = optional_int(data.get("budget_eur"), "budget_eur", 0, 100_000_000)
    sections = clean_sections(data.get("sections"))
    areas = data.get("areas") or []
    if isinstance(areas, str):
        areas = [areas]
    if not isinstance(areas, list) or any(a not in APPLICATION_AREAS for a in areas):
        raise ValidationError(_("Unknown application area."), field="areas")
    technologies = data.get("technologies") or []
    if not isinstance(technologies, (list, str)):
        raise ValidationError(_("Technologies must be a list."), field="technologies")
    check_payload(technologies)
    license_key = str(data.get("license") or "CC-BY-4.0")
    if license_key not in LICENSES:
        raise ValidationError(_("Unknown licence %(key)s.", key=license_key[:40]),
                              field="license")
    impact_in = data.get("impact") or {}
    if not isinstance(impact_in, dict):
        raise ValidationError(_("Impact figures must be an object."), field="impact")
    impact = {}
    for key, value in impact_in.items():
        if key not in IMPACT_FIGURES:
            raise ValidationError(_("Unknown impact figure %(key)s.", key=str(key)[:40]),
                                  field="impact")
        number = optional_int(value, key, 0, 10**12)
        if number is not None:
            impact[key] = number
    contact = clean_text(data.get("contact"), field="contact", max_length=300,
                         too_long=_("The contact is too long."))
    return {
        "title": title, "summary": summary, "language": language, "year": year,
        "sections": sections, "areas": list(dict.fromkeys(areas)),
        "technologies": canonical_tags(parse_tags(technologies, max_tags=20)),
        "budget_eur": budget,
        "budget_range": budget_range_for(budget), "impact": impact, "license": license_key,
        "contact": contact,
    }


def clean_sections(sections_in) -> dict:
    """The case study's Markdown sections, by key: unknown keys refused, empty ones dropped.
    Shared by case studies and their translations."""
    sections_in = sections_in or {}
    if not isinstance(sections_in, dict):
        raise ValidationError(_("Sections must be an object of Markdown texts."),
                              field="sections")
    sections = {}
    for key, value in sections_in.items():
        if key not in SECTIONS:
            raise ValidationError(_("Unknown section %(key)s.", key=str(key)[:40]),
                                  field="sections")
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValidationError(_("Section %(key)s must be text.", key=key), field=key)
        value = clean_text(value, field=key, max_length=SECTION_MAX, multiline=True,
                           too_long=_("Section %(key)s is too long.", key=key))
        if value:
            sections[key] = value
    return sections

def optional_int(value, field: str, low: int, high: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("%(field)s must be a whole number.", field=field), field=field)
    try:
        number = int(str(value).replace(" ", "").replace(",", "")) \
            if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(_("%(field)s must be a whole number.", field=field),
                              field=field) from None
    if isinstance(value, float) and value != number:
        raise ValidationError(_("%(field)s must be a whole number.", field=field), field=field)
    if not low <= number <= high:
        raise ValidationError(_("%(field)s must be between %(low)d and %(high)d.",
                                field=field, low=low, high=high), field=field)
    return number


def clean_cover_alt(value) -> str:
    """A cover's alt text: required, one line, at most COVER_ALT_MAX characters."""
    return clean_text(value, field="cover_alt", max_length=COVER_ALT_MAX, required=True,
                      empty=_("Describe the image for people who cannot see it."),
                      too_long=_("The description is too long (at most %(n)d characters).",
                                 n=COVER_ALT_MAX))
