"""The archive's fixed vocabularies: statuses, sections, licences, languages, budget ranges.

Keys are stored in the database and the search index; labels are translated on display.
"""
from flask_babel import lazy_gettext as _l

STATUS_DRAFT, STATUS_SUBMITTED, STATUS_PUBLISHED = "draft", "submitted", "published"
STATUS_RETURNED, STATUS_WITHDRAWN = "returned", "withdrawn"
STATUSES = {
    STATUS_DRAFT: _l("Draft"),
    STATUS_SUBMITTED: _l("Submitted for review"),
    STATUS_PUBLISHED: _l("Published"),
    STATUS_RETURNED: _l("Returned with comments"),
    STATUS_WITHDRAWN: _l("Withdrawn"),
}

#: the case study's Markdown sections, in reading order: key -> (heading, writing prompt)
SECTIONS = {
    "challenge": (_l("The challenge"),
                  _l("What problem did the museum face? Who was affected, and why did it matter?")),
    "objectives": (_l("Objectives"),
                   _l("What did you set out to achieve? List measurable goals where you can.")),
    "approach": (_l("Approach and methods"),
                 _l("How did you work: phases, methods, who did what, how visitors took part.")),
    "technology": (_l("Technologies used"),
                   _l("Which tools, platforms and standards did you use, and why these?")),
    "partners": (_l("Partners and their roles"),
                 _l("Who took part and what each partner contributed.")),
    "timeline": (_l("Timeline"),
                 _l("The main milestones, from the first idea to the launch.")),
    "results": (_l("Results and impact"),
                _l("What changed? Give numbers: visitors, reach, revenue, time saved.")),
    "lessons": (_l("Lessons learned"),
                _l("What worked well, and what surprised you?")),
    "differently": (_l("What we would do differently"),
                    _l("With hindsight, what would you change?")),
    "recommendations": (_l("Recommendations for other museums"),
                        _l("Practical advice for a museum about to start a similar project.")),
    "outputs": (_l("Reusable outputs and licences"),
                _l("Code, models, datasets, guides others may reuse, and under which licence.")),
}
SECTION_KEYS = tuple(SECTIONS)

#: what a case-study revision's note (stored as this English key) says to the reader
REVISION_NOTES = {
    "started from the template": _l("started from the template"), "edited": _l("edited"),
    "attachments chosen": _l("attachments chosen"), "submitted": _l("submitted"),
    "imported": _l("imported"),
}

LICENSES = {
    "CC-BY-4.0": "Creative Commons Attribution 4.0",
    "CC-BY-SA-4.0": "Creative Commons Attribution-ShareAlike 4.0",
    "CC-BY-NC-4.0": "Creative Commons Attribution-NonCommercial 4.0",
    "CC-BY-NC-SA-4.0": "Creative Commons Attribution-NonCommercial-ShareAlike 4.0",
    "CC-BY-ND-4.0": "Creative Commons Attribution-NoDerivatives 4.0",
    "CC0-1.0": "Creative Commons Zero 1.0 (public domain dedication)",
    "ODbL-1.0": "Open Database License 1.0",
    "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0",
    "GPL-3.0": "GNU General Public License 3.0",
}
LICENSE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "CC-BY-ND-4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
    "MIT": "https://opensource.org/licenses/MIT",
    "Apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0",
    "GPL-3.0": "https://www.gnu.org/licenses/gpl-3.0.html",
}
DEFAULT_LICENSE = "CC-BY-4.0"
#: the licence of the archive as a whole (metadata and texts), stated in every export
ARCHIVE_LICENSE = "CC-BY-4.0"

#: languages a case study may be written in (ISO 639-1)
LANGUAGES = {
    "en": _l("English"), "it": _l("Italian"), "fr": _l("French"), "de": _l("German"),
    "es": _l("Spanish"), "pl": _l("Polish"), "nl": _l("Dutch"), "pt": _l("Portuguese"),
    "sv": _l("Swedish"), "da": _l("Danish"), "fi": _l("Finnish"), "no": _l("Norwegian"),
    "cs": _l("Czech"), "sk": _l("Slovak"), "sl": _l("Slovenian"), "hr": _l("Croatian"),
    "hu": _l("Hungarian"), "ro": _l("Romanian"), "bg": _l("Bulgarian"), "el": _l("Greek"),
    "et": _l("Estonian"), "lv": _l("Latvian"), "lt": _l("Lithuanian"), "ga": _l("Irish"),
    "mt": _l("Maltese"), "uk": _l("Ukrainian"), "sr": _l("Serbian"), "sq": _l("Albanian"),
}

#: budget buckets: key -> (label, lower bound inclusive, upper bound exclusive) in EUR
BUDGET_RANGES = {
    "lt-10k": (_l("Under €10,000"), 0, 10_000),
    "10k-50k": (_l("€10,000–50,000"), 10_000, 50_000),
    "50k-100k": (_l("€50,000–100,000"), 50_000, 100_000),
    "100k-250k": (_l("€100,000–250,000"), 100_000, 250_000),
    "gt-250k": (_l("Over €250,000"), 250_000, None),
    "unknown": (_l("Not stated"), None, None),
}

#: impact figures a case study may report: key -> label
IMPACT_FIGURES = {
    "visitors": _l("Visitors"),
    "reach": _l("Online reach"),
    "revenue_eur": _l("Revenue (EUR)"),
    "time_saved_hours": _l("Staff time saved (hours/year)"),
}


def budget_range_for(budget_eur: int | None) -> str:
    if budget_eur is None or budget_eur < 0:
        return "unknown"
    for key, (_label, low, high) in BUDGET_RANGES.items():
        if low is not None and budget_eur >= low and (high is None or budget_eur < high):
            return key
    return "unknown"


def label_of(vocabulary: dict, key: str | None) -> str:
    value = vocabulary.get(key or "", key or "")
    if isinstance(value, tuple):
        value = value[0]
    return str(value)
