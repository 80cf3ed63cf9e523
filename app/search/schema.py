"""The index schema and its analyzers: one language-neutral folded field per text, plus stemmed
per-language fields for every language `analysis.py` stems or lemmatises.

Accents are folded in every field. Stemmers disagree about accents: French Snowball stems
`musées` to `mus` but the accentless `musees` to `muse`, while Portuguese or Hungarian need the
accents to stem well. So a stemmed field holds, at the same position, both the folded stem of the
word as written and the stem of the folded word; a query word yields both too (joined with OR),
so accented and accentless spellings meet whichever way the stemmer prefers.
"""
import hashlib
import json
import re
from collections import Counter
from functools import cache, lru_cache

from whoosh import fields
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang import stopwords_for_language
from whoosh.system import pack_uint

from .analysis import ANALYSED_LANGUAGES, ANALYSIS_VERSION, FOLD_MAP, stem_forms
from .concepts import CONCEPT_FIELD, record_concepts

#: languages indexed with their own stemmer or lemmatiser (see analysis.py)
STEMMED_LANGUAGES = ANALYSED_LANGUAGES

#: field boosts: title and summary above the body, attachments below it; `translations`
#: holds every translated version's title, summary and sections
BOOSTS = {"title": 3.0, "summary": 2.0, "body": 1.0, "attachments": 0.6, "translations": 1.0}
#: how much of a translated body is stored for highlighting
VERSION_BODY_CHARS = 30_000
#: a stemmed match counts a little less than an exact (folded) one in the body
STEM_BOOST = 0.8
TEXT_FIELDS = tuple(BOOSTS)


def stemmed_field(lang: str) -> str:
    """One stemmed field per language holds title, summary, body and attachments: fewer fields
    keep queries fast; the neutral fields carry the title and summary boosts."""
    return f"text_{lang}"

#: facet key (as in the service's results) -> index field
FACETS = {
    # a case study counts under its own language and every language it is translated into
    "country": "country", "area": "area", "technology": "technology", "language": "languages",
    "year": "year", "lead_kind": "lead_kind", "lead_size": "lead_size",
    "budget_range": "budget_range",
}
MULTI_VALUED = {"area": "areas", "technology": "technologies"}


def neutral_analyzer():
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(FOLD_MAP)


#: the analyzers' tokenizer pattern without its capturing group, for `findall`
TOKEN_RE = re.compile(default_pattern.pattern.replace("(\\.?", "(?:\\.?"), re.UNICODE)
_SEP = "\x1f"


@lru_cache(maxsize=32)
def _lowered(text: str) -> str:
    """`text`'s words in lower case, joined by `_SEP` ("" when none): the one tokenizing pass a
    text gets while a document is indexed, shared by its neutral field and the stemmed field
    that holds it too (`document_for` gives that field the same string objects)."""
    return _SEP.join(TOKEN_RE.findall(text)).lower()


def neutral_words(text: str) -> list[str]:
    """What `neutral_analyzer` yields for `text`, computed by whole-string operations in C."""
    lowered = _lowered(text)
    return lowered.translate(FOLD_MAP).split(_SEP) if lowered else []


@cache
def _stoplist(lang: str) -> frozenset:
    try:
        return frozenset(stopwords_for_language(lang))
    except Exception:  # noqa: BLE001  (Whoosh has no stop list for a few stemmed languages)
        return frozenset()


def language_terms(lang: str, text: str | tuple[str, ...]) -> Counter:
    """What `language_analyzer(lang)` yields for `text` (or for several texts, as if joined by
    blank lines), counted: each distinct lower-case word is stemmed once (the analyzer stems
    every occurrence)."""
    words = Counter()
    for part in (text,) if isinstance(text, str) else text:
        lowered = _lowered(part)
        if lowered:
            words.update(lowered.split(_SEP))
    stops, forms, terms = _stoplist(lang), stem_forms(lang), Counter()
    for word, count in words.items():
        if word in stops:
            continue
        first, second = forms(word)
        terms[first] += count
        if second != first:
            terms[second] += count
    return terms


class FastText(fields.TEXT):
    """A TEXT field without positions that indexes by counting words with C-speed string
    operations (`neutral_words`, `language_terms`) instead of running its analyzer token by
    token: the same terms and frequencies (tests/search/test_languages.py compares), several
    times faster. Queries still go through the analyzer."""

    def __init__(self, lang: str | None = None, **kwargs):
        super().__init__(phrase=False, **kwargs)
        self.lang = lang

    def term_counts(self, value) -> dict[str, int]:
        """Each term of `value` with its frequency (what `index` yields; `writer.py` uses it)."""
        if self.lang is None:
            return Counter(neutral_words(value))
        return language_terms(self.lang, value)

    def index(self, value, **kwargs):
        counts = self.term_counts(value)
        boost = self.format.field_boost
        for text, freq in counts.items():
            yield text.encode("utf-8"), freq, freq * boost, pack_uint(freq)


class FoldedStemFilter(Filter):
    """Replaces each word by its stem forms (see the module docstring), at the same position."""

    def __init__(self, lang: str):
        self.lang = lang

    def __eq__(self, other):
        return type(other) is type(self) and other.lang == self.lang

    def __call__(self, tokens):
        forms = stem_forms(self.lang)
        for token in tokens:
            if token.stopped:
                yield token
                continue
            first, second = forms(token.text)
            token.text = first
            if second == first:
                yield token
            else:
                yield token.copy()
                token.text = second
                yield token


def language_analyzer(lang: str):
    try:
        stoplist = stopwords_for_language(lang)
    except Exception:  # noqa: BLE001  (Whoosh has no stop list for a few stemmed languages)
        stoplist = ()
    chain = RegexTokenizer() | LowercaseFilter()
    if stoplist:
        chain = chain | StopFilter(stoplist=stoplist, minsize=1)
    return chain | FoldedStemFilter(lang)


def build_schema() -> fields.Schema:
    neutral = neutral_analyzer()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        slug=fields.ID(stored=True, unique=True),
        fingerprint=fields.STORED(),
        # No positions (phrases are matched in `phrases.py`): smaller postings, faster indexing.
        title=FastText(analyzer=neutral, stored=True),
        summary=FastText(analyzer=neutral, stored=True),
        body=FastText(analyzer=neutral, stored=True),
        attachments=FastText(analyzer=neutral, stored=False),
        translations=FastText(analyzer=neutral, stored=False),
        versions=fields.STORED(),
        country=fields.ID(stored=True),
        area=fields.KEYWORD(stored=True, commas=True, scorable=False),
        technology=fields.KEYWORD(stored=True, commas=True, scorable=False),
        concepts=fields.KEYWORD(stored=False, commas=True, scorable=True),
        language=fields.ID(stored=True),
        languages=fields.KEYWORD(stored=False, commas=True, scorable=False),
        year=fields.ID(stored=True),
        lead_kind=fields.ID(stored=True),
        lead_size=fields.ID(stored=True),
        budget_range=fields.ID(stored=True),
        published_at=fields.NUMERIC(bits=64, stored=True, sortable=True),
    )
    for lang in STEMMED_LANGUAGES:
        # No phrase positions: a word's two stem forms share a position; phrases are matched
        # in the neutral fields.
        schema.add(stemmed_field(lang), FastText(lang, analyzer=language_analyzer(lang),
                                                 stored=False, multitoken_query="or"))
    return schema


def record_language(record: dict) -> str:
    return (record.get("language") or "").strip().lower()[:2]


def fingerprint(record: dict) -> str:
    """A digest of everything a record puts in the index (`search check` compares these)."""
    payload = {key: record.get(key) for key in (
        "slug", "title", "summary", "body", "attachments", "language", "country", "areas",
        "technologies", "lead_kind", "lead_size", "year", "budget_range", "translations")}
    published = record.get("published_at")
    payload["published_at"] = published.isoformat() if published else None
    payload["analysis"] = ANALYSIS_VERSION
    encoded = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()


def document_for(record: dict) -> dict:
    """The Whoosh document for one index record (see `app.archive.indexing`)."""
    lang = record_language(record)
    published = record.get("published_at")
    doc = {
        "id": str(record["id"]),
        "slug": record["slug"],
        "fingerprint": fingerprint(record),
        "title": record.get("title") or "",
        "summary": record.get("summary") or "",
        "body": record.get("body") or "",
        "attachments": record.get("attachments") or "",
        "published_at": int(published.timestamp()) if published else 0,
    }
    versions = _versions(record, lang)
    if versions:
        doc["versions"] = {vlang: {"title": v["title"], "summary": v["summary"],
                                   "body": v["body"][:VERSION_BODY_CHARS]}
                           for vlang, v in versions.items()}
        doc["translations"] = "\n\n".join(v["text"] for v in versions.values())
    everything = all_text(doc)
    single = {"country": record.get("country"), "language": lang, "year": record.get("year"),
              "lead_kind": record.get("lead_kind"), "lead_size": record.get("lead_size"),
              "budget_range": record.get("budget_range")}
    for field, value in single.items():
        if value not in (None, ""):
            doc[field] = str(value)
    every_language = [lang] + [vlang for vlang in versions if vlang != lang] if lang else list(versions)
    if every_language:
        doc["languages"] = ",".join(every_language)
    for field, key in MULTI_VALUED.items():
        values = [str(v).replace(",", " ").strip() for v in record.get(key) or []]
        if any(values):
            doc[field] = ",".join(v for v in values if v)
    concepts = record_concepts(record, everything)
    if concepts:
        doc[CONCEPT_FIELD] = ",".join(concepts)
    if lang in STEMMED_LANGUAGES:
        # the texts themselves, not joined: each is split into words once (`_lowered`)
        doc[stemmed_field(lang)] = (doc["title"], doc["summary"], doc["body"], doc["attachments"])
    for vlang, version in versions.items():
        if vlang in STEMMED_LANGUAGES:
            doc[stemmed_field(vlang)] = version["text"]
    return doc


def all_text(doc: dict) -> str:
    """Every version's words of a document, as phrases are matched in them (`phrases.py`)."""
    return "\n".join((doc["title"], doc["summary"], doc["body"], doc["attachments"],
                      doc.get("translations", "")))


def _versions(record: dict, original: str) -> dict[str, dict]:
    """The record's translated versions by language (never its own language)."""
    versions = {}
    for item in record.get("translations") or []:
        vlang = (item.get("language") or "").strip().lower()[:2]
        if vlang and vlang != original and vlang not in versions:
            title, summary, body = (item.get(k) or "" for k in ("title", "summary", "body"))
            versions[vlang] = {"title": title, "summary": summary, "body": body,
                               "text": "\n\n".join((title, summary, body))}
    return versions
