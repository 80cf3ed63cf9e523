"""Search's public functions, the only ones other rooms call.

Write side: `enqueue_index_change` (appends to the change log in the caller's transaction,
before its commit), `apply_pending_changes` (after the commit), and for operators
`rebuild_index`, `check_index` and `index_lag`. Read side: `search_case_studies` (the one code path for
pages, API and bench) and `similar_case_studies`; they read only the index, which only ever
holds what the registered record source (`records.py`) offered: published case studies.
"""
import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup
from whoosh.query import Every

from ..core.errors import ValidationError
from ..core.metrics import SEARCH_SECONDS
from ..core.pagination import PageNumbers, clamp_int
from ..extensions import db
from . import follower, indexer
from .analysis import fold
from .concepts import concept_table
from .highlight import HIGHLIGHT_SCAN_CHARS, WORD_RE, highlight, query_terms
from .models import ACTION_REBUILD, ACTIONS, SearchChange
from .records import record_source
from .schema import FACETS, TEXT_FIELDS
from .searcher import (
    IndexView, filter_docs, matching_docs, rank, reading_view, refresh_view,
    without_stemmed_phrases,
)

MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 50
MAX_PAGE = 1000
MAX_FILTER_VALUES = 20
SORTS = ("relevance", "date")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


@dataclass
class Hit:
    slug: str
    score: float
    highlight: Markup
    #: the language of the version the highlight comes from (a translation in the reader's
    #: language when the case study has one, else its own)
    language: str = ""


@dataclass
class SearchResults(PageNumbers):
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    sort: str = "relevance"
    query: str = ""


# --- input ----------------------------------------------------------------------------------

def clean_query(q: str | None) -> str:
    q = "".join(ch if ch.isprintable() else " " for ch in (q or "")).strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise ValidationError(_("The search is too long (at most %(n)d characters).",
                                n=MAX_QUERY_LENGTH), field="q")
    if q.count('"') % 2:  # an unbalanced quote: drop the last one rather than refuse
        head, _sep, tail = q.rpartition('"')
        q = (head + " " + tail).strip()
    if q and not WORD_RE.search(q):
        raise ValidationError(_("Type at least one word to search for."), field="q")
    return q


def clean_filters(filters: dict | None) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for key, values in (filters or {}).items():
        if key not in FACETS:
            raise ValidationError(_("Unknown filter: %(name)s.", name=str(key)[:40]), field=key)
        if isinstance(values, str | int):
            values = [values]
        values = [str(v).strip() for v in values if str(v).strip()]
        if len(values) > MAX_FILTER_VALUES or any(len(v) > 80 for v in values):
            raise ValidationError(_("Too many or too long filter values."), field=key)
        if key == "country":
            values = [v.upper() for v in values]
        elif key == "language":
            values = [v.lower() for v in values]
        if values:
            cleaned[key] = list(dict.fromkeys(values))
    return cleaned


def _parse(view: IndexView, q: str):
    try:
        query = without_stemmed_phrases(view.parser.parse(q)).normalize()
    except Exception as error:  # noqa: BLE001  (any parser failure is the user's input, not a 500)
        raise ValidationError(_("We could not understand that search."), field="q") from error
    return query



# --- search ---------------------------------------------------------------------------------

@SEARCH_SECONDS.time()
def search_case_studies(q: str | None = "", filters: dict | None = None, page=1, per_page=20,
                        sort: str = "relevance", language: str | None = None) -> SearchResults:
    """Published case studies matching `q` and `filters`, one page of hits, facets, suggestion.

    Every version of a case study (the original and its translations) is searched; each case
    study is one hit, highlighted in the reader's `language` when it has a version in it."""
    q = clean_query(q)
    filters = clean_filters(filters)
    page = clamp_int(page, 1, 1, MAX_PAGE)
    per_page = clamp_int(per_page, 20, 1, MAX_PER_PAGE)
    sort = sort if sort in SORTS else "relevance"
    results = SearchResults(total=0, page=page, per_page=per_page, sort=sort, query=q)
    with reading_view() as view:
        text_query = _parse(view, q) if q else Every()
        allowed = filter_docs(view, filters)
        matched = matching_docs(view, text_query)
        if allowed is not None:
            matched = matched & allowed
        results.total = len(matched)
        results.facets = _count_facets(view, matched)
        if matched:
            results.hits = _page_of_hits(view, text_query, matched, page, per_page,
                                         by_date=sort == "date" or not q,
                                         language=(language or "")[:2].lower())
        if q:
            results.suggestion = _suggest(view, q, allowed)
    return results


def _count_facets(view: IndexView, matched: set[int]) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {}
    for key, index_field in FACETS.items():
        counts = {}
        if matched:
            for value, docs in view.facet_sets(index_field).items():
                n = len(docs & matched) if len(docs) < len(matched) else len(matched & docs)
                if n:
                    counts[value] = n
        facets[key] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return facets


def _page_of_hits(view: IndexView, text_query, matched: frozenset, page: int, per_page: int,
                  *, by_date: bool, language: str = "") -> list[Hit]:
    searcher = view.searcher
    limit = page * per_page
    if limit - per_page >= len(matched):
        return []
    if by_date:
        newest = heapq.nlargest(limit, matched, key=lambda d: (view.published_at(d), -d))
        ranked = [(docnum, 0.0) for docnum in newest[limit - per_page:]]
    else:
        ranked = rank(view, text_query, matched, limit)[limit - per_page:]
    terms = query_terms(text_query)
    hits = []
    for docnum, score in ranked:
        stored = searcher.stored_fields(docnum)
        version = (stored.get("versions") or {}).get(language)
        shown = stored if version is None else dict(version, language=language)
        hits.append(Hit(slug=stored["slug"], score=score, highlight=highlight(shown, terms),
                        language=shown.get("language") or ""))
    return hits


# --- did you mean ---------------------------------------------------------------------------

def _suggest(view: IndexView, q: str, allowed: frozenset | None) -> str | None:
    """A corrected query that would return results, when some word of `q` matches nothing."""
    searcher = view.searcher
    words = [w for w in WORD_RE.findall(q) if w not in OPERATORS and len(w) >= 3
             and not w.isdigit()]
    unknown = []
    in_phrases = concept_table().covered_words(q)
    for word in dict.fromkeys(words):
        folded = fold(word)
        if folded in in_phrases or any(searcher.doc_frequency(name, folded)
                                       for name in TEXT_FIELDS):
            continue
        if matching_docs(view, _parse(view, word)):
            continue  # found through a stemmed form: not a misspelling
        unknown.append(word)
    if not unknown:
        return None
    options = {}
    for word in unknown:
        folded, found = fold(word), []
        # the index's words, then the vocabulary's (a word may be only a technology tag)
        for corrector in (searcher.corrector("title"), searcher.corrector("body"),
                          concept_table().corrector):
            for candidate in corrector.suggest(folded, limit=3, maxdist=1 if len(word) < 5 else 2):
                if candidate not in found:
                    found.append(candidate)
        if not found:
            return None
        options[word] = found[:3]
    for attempt in range(3):
        suggestion = q
        for word, found in options.items():
            choice = found[min(attempt, len(found) - 1)]
            suggestion = re.sub(rf"\b{re.escape(word)}\b", choice, suggestion)
        if suggestion == q:
            continue
        docs = matching_docs(view, _parse(view, suggestion))
        if docs and (allowed is None or not docs.isdisjoint(allowed)):
            return suggestion
    return None


# --- more like this -------------------------------------------------------------------------

def similar_case_studies(slug: str, limit: int = 4) -> list[str]:
    """Slugs of published case studies most like `slug` (which is never among them)."""
    limit = clamp_int(limit, 4, 1, 20)
    with reading_view() as view:
        searcher = view.searcher
        docnum = searcher.document_number(slug=slug)
        if docnum is None:
            return []
        stored = searcher.stored_fields(docnum)
        text = " ".join([stored.get("title", ""), stored.get("summary", ""),
                         (stored.get("body") or "")[:HIGHLIGHT_SCAN_CHARS]])
        # Whoosh's more_like, with its search swapped for the view's cached BM25 scores (its
        # matchers scored every posting again: 240 ms of CPU per page at 10,000 case studies)
        scores: dict[int, float] = {}
        for word, weight in searcher.key_terms_from_text("body", text, numterms=15):
            for other, score in view.term_scores("body", word).items():
                scores[other] = scores.get(other, 0.0) + score * weight
        scores.pop(docnum, None)
        best = heapq.nlargest(limit + 1, scores.items(), key=lambda item: (item[1], -item[0]))
        slugs = [searcher.stored_fields(other)["slug"] for other, _score in best]
        return [found for found in slugs if found != slug][:limit]


# --- write side -----------------------------------------------------------------------------

def enqueue_index_change(record, action: str) -> None:
    """Append to the change log that `record` (anything with `id` and `slug`) must be
    (re)indexed or removed.

    The row joins the caller's session: the caller commits it together with the change itself,
    so the two cannot disagree. Then the caller calls `apply_pending_changes`; every other
    machine's follower applies it within its poll interval.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown index action {action!r}")
    if record.id is None:
        db.session.flush()  # a brand-new record needs its id before we can point at it
    db.session.add(SearchChange(record_id=record.id, slug=record.slug, action=action))


def apply_pending_changes() -> int:
    """Apply the change log to this machine's index now and open a warm searcher on it;
    returns how many log entries were applied.

    Safe to call after every commit: waits for the machine's writer lock, and never raises
    (what is not applied now the follower applies at its next look). Re-applying an entry is
    harmless: the writer indexes a record's *current* state, never the state at enqueue time.
    """
    return follower.follow_once()


def index_lag() -> int | None:
    """How many change-log ids this machine's index is behind (last log id minus the id up to
    which every entry is applied); None before this machine has built its index. Readiness
    and metrics read it."""
    return indexer.lag()


def rebuild_index(progress: Callable[[int], None] | None = None) -> int:
    """Build a new index of every record beside the live one and swap it in atomically; queries
    keep answering from the live one meanwhile. Returns how many records it holds."""
    count = indexer.build_from_scratch(progress=progress)
    refresh_view(force=True)
    return count


def rebuild_everywhere() -> int:
    """After the database was replaced (a backup restored): a `rebuild` entry in the log makes
    every other machine's follower build its index from scratch, since the positions their
    indexes remember belong to the old log; this machine's is rebuilt now. Returns how many
    records it holds."""
    db.session.add(SearchChange(record_id=0, slug="", action=ACTION_REBUILD))
    db.session.commit()
    return rebuild_index()


def records_to_index() -> int:
    """How many records a rebuild will index (for a progress bar)."""
    return record_source().count()


def check_index() -> indexer.IndexReport:
    """Compare the index with the record source (missing, stale and extra slugs)."""
    return indexer.check_against_database()
