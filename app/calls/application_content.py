"""An application's content: its shape, checking it field by field, and its canonical JSON.

A draft may be incomplete (empty fields are fine) but never malformed: `clean_content(data,
call)` refuses text that is too long, amounts that are not whole euros, unknown areas or
categories and dates that are not dates, naming the field, so nothing half-wrong is stored.
Completeness is judged at submission (`eligibility.py`). No database, no policy.
"""
import hashlib
import json
import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.errors import ValidationError
from ..core.text import clean_text
from ..projects.areas import APPLICATION_AREAS

TITLE_MAX, SUMMARY_MAX, SECTION_MAX, LINE_MAX = 200, 1000, 10000, 300
MAX_MILESTONES, MAX_BUDGET_LINES, MAX_PARTNERS = 20, 30, 20
AMOUNT_MAX = 10_000_000
SECTIONS = {
    "challenge": _l("The challenge"),
    "idea": _l("The idea"),
    "technology": _l("The technology"),
    "results": _l("Expected results for visitors"),
    "workplan": _l("Workplan"),
    "sustainability": _l("Sustainability"),
}
BUDGET_CATEGORIES = {
    "personnel": _l("Personnel"), "subcontracting": _l("Subcontracting"),
    "equipment": _l("Equipment and software"), "travel": _l("Travel"),
    "dissemination": _l("Dissemination"), "other": _l("Other costs"),
}
#: fields merged line by line when two co-applicants change them at once
TEXT_FIELDS = ("summary",) + tuple(f"sections.{key}" for key in SECTIONS)


def empty_content() -> dict:
    return {"title": "", "summary": "", "areas": [], "sections": dict.fromkeys(SECTIONS, ""),
            "milestones": [], "budget": [], "partners": [], "declarations": []}


def _amount(value, field: str) -> int:
    """Whole euros: `12000`, `12,000`, `12.000` and `12 000` are all twelve thousand."""
    if isinstance(value, bool):
        value = None
    text = str(value if value is not None else "").strip()
    if re.fullmatch(r"\d{1,3}([ .,\u00a0\u202f]\d{3})+", text):
        text = re.sub(r"\D", "", text)
    if isinstance(value, int):
        number = value
    elif re.fullmatch(r"\d{1,9}", text):
        number = int(text)
    else:
        number = -1
    if not 0 <= number <= AMOUNT_MAX:
        raise ValidationError(_("Give an amount in whole euros, e.g. 12000."), field=field)
    return number


def _day(value, field: str) -> str:
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError(_("Give a date, e.g. 2027-03-31."), field=field) from None


def _milestones(rows) -> list[dict]:
    cleaned = []
    for n, row in enumerate(rows if isinstance(rows, list) else []):
        row = row if isinstance(row, dict) else {}
        title = clean_text(row.get("title"), field=f"milestone_title_{n}", max_length=LINE_MAX)
        day = str(row.get("date") or "").strip()
        if not title and not day:
            continue
        if not title:
            raise ValidationError(_("Say what this milestone is."), field=f"milestone_title_{n}")
        if not day:
            raise ValidationError(_("Give the milestone's date."), field=f"milestone_date_{n}")
        cleaned.append({"date": _day(day, f"milestone_date_{n}"), "title": title})
    if len(cleaned) > MAX_MILESTONES:
        raise ValidationError(_("At most %(n)s milestones.", n=MAX_MILESTONES), field="milestones")
    return cleaned


def _budget(rows) -> list[dict]:
    cleaned = []
    for n, row in enumerate(rows if isinstance(rows, list) else []):
        row = row if isinstance(row, dict) else {}
        description = clean_text(row.get("description"), field=f"budget_description_{n}",
                                 max_length=LINE_MAX)
        raw_amount = row.get("amount")
        category = str(row.get("category") or "")
        if not description and raw_amount in (None, ""):
            continue
        if category not in BUDGET_CATEGORIES:
            raise ValidationError(_("Choose a category."), field=f"budget_category_{n}")
        if not description:
            raise ValidationError(_("Describe this cost."), field=f"budget_description_{n}")
        cleaned.append({"category": category, "description": description,
                        "amount": _amount(raw_amount, f"budget_amount_{n}")})
    if len(cleaned) > MAX_BUDGET_LINES:
        raise ValidationError(_("At most %(n)s budget lines.", n=MAX_BUDGET_LINES), field="budget")
    return cleaned


def _ids(values, field: str, limit: int) -> list[int]:
    ids = []
    for value in values if isinstance(values, list) else []:
        text = str(value).strip()
        if not re.fullmatch(r"\d{1,9}", text):
            raise ValidationError(_("Unknown choice: %(value)s.", value=text[:40]), field=field)
        ids.append(int(text))
    ids = list(dict.fromkeys(ids))
    if len(ids) > limit:
        raise ValidationError(_("At most %(n)s.", n=limit), field=field)
    return ids


def clean_content(data: dict, declaration_count: int = 0) -> dict:
    """The draft to store, from a form's or an API's values; ValidationError on the first bad
    field. `partners` are organisation ids (checked against the directory by the service)."""
    sections = data.get("sections") if isinstance(data.get("sections"), dict) else {}
    areas = [str(a) for a in (data.get("areas") or []) if a] if isinstance(
        data.get("areas"), list) else []
    unknown = [a for a in areas if a not in APPLICATION_AREAS]
    if unknown:
        raise ValidationError(_("Unknown choice: %(value)s.", value=", ".join(unknown)[:80]),
                              field="areas")
    declarations = sorted(i for i in _ids(data.get("declarations"), "declarations", 50)
                          if i < declaration_count)
    return {
        "title": clean_text(data.get("title"), field="title", max_length=TITLE_MAX),
        "summary": clean_text(data.get("summary"), field="summary", max_length=SUMMARY_MAX,
                              multiline=True, too_long=_(
                                  "The summary may have at most %(n)s characters.",
                                  n=SUMMARY_MAX)),
        "areas": list(dict.fromkeys(areas)),
        "sections": {key: clean_text(sections.get(key), field=f"section_{key}",
                                     max_length=SECTION_MAX, multiline=True)
                     for key in SECTIONS},
        "milestones": _milestones(data.get("milestones")),
        "budget": _budget(data.get("budget")),
        "partners": _ids(data.get("partners"), "partners", MAX_PARTNERS),
        "declarations": declarations,
    }


def budget_total(content: dict) -> int:
    return sum(int(line.get("amount") or 0) for line in content.get("budget") or [])


def canonical_json(record: dict) -> str:
    """One spelling of a record: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get_field(content: dict, path: str) -> str:
    head, _dot, tail = path.partition(".")
    value = content.get(head)
    return (value or {}).get(tail, "") if tail else (value or "")


def set_field(content: dict, path: str, value: str) -> None:
    head, _dot, tail = path.partition(".")
    if tail:
        content.setdefault(head, {})[tail] = value
    else:
        content[head] = value
