"""Read side of the technology vocabulary's upkeep: free tags (tags the vocabulary does not
know) with how many case studies use them, and the vocabulary's own gaps. Writes nothing;
`flask --app wsgi archive vocabulary check` prints it."""
import difflib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from .models import CaseStudy
from .technologies import NAME_LANGUAGES, squeezed, tag_table, technologies


@dataclass
class FreeTag:
    tag: str
    count: int
    close_to: str | None = None  # a vocabulary key the tag may be a misspelling of


@dataclass
class VocabularyReport:
    technologies: int
    phrases: int
    free_tags: list[FreeTag] = field(default_factory=list)
    missing_names: list[tuple[str, str]] = field(default_factory=list)  # (key, language)


def vocabulary_report(min_count: int = 1) -> VocabularyReport:
    """Free tags of every case study (working copies, which include the published text),
    most used first, each with the vocabulary entry it resembles."""
    counts: Counter[str] = Counter()
    for tags in db.session.execute(select(CaseStudy.technologies)).scalars():
        counts.update({tag for tag in tags or [] if tag not in technologies()})
    table = tag_table()
    forms = list(table)
    report = VocabularyReport(technologies=len(technologies()), phrases=len(table))
    for tag, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if count < min_count:
            continue
        close = difflib.get_close_matches(squeezed(tag), forms, n=1, cutoff=0.8)
        report.free_tags.append(FreeTag(tag, count, table[close[0]] if close else None))
    report.missing_names = [(key, lang) for key, entry in technologies().items()
                            for lang in NAME_LANGUAGES if not entry["names"].get(lang)]
    return report
