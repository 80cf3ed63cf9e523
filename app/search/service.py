"""The query service: `search_case_studies` (the one code path for pages, API and bench) and
`similar_case_studies`. Reads only the index, which only ever holds published case studies.

A searcher is kept per index directory and refreshed when a writer has committed; with it we
cache, per index version, the query parser over the fields that exist and the document sets of
every facet value, so counting facets for a query is a few set intersections.
"""
import heapq
import re
import threading
from dataclasses import dataclass, field
from math import log
from pathlib import Path

from flask_babel import gettext as _
from markupsafe import Markup
from whoosh import qparser
from whoosh import query as wq
from whoosh.query import Every, NullQuery
from whoosh.reading import TermNotFound

from ..core.errors import ValidationError
from ..core.pagination import PageNumbers, clamp_int
from .highlight import HIGHLIGHT_SCAN_CHARS, WORD_RE, highlight, query_terms
from .indexer import index_dir, open_index
from .schema import (
    BOOSTS, FACETS, STEM_BOOST, STEMMED_LANGUAGES, TEXT_FIELDS, fold, stemmed_field,
)

MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 50
MAX_PAGE = 1000
MAX_FILTER_VALUES = 20
SORTS = ("relevance", "date")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
TERM_CACHE_SIZE = 4096
MAX_CACHED_POSTINGS = 1_000_000  # about 100 MB of cached term sets and scores per process
K1, B = 1.2, 0.75  # BM25, as Whoosh's default BM25F


@dataclass
class Hit:
    slug: str
    score: float
    highlight: Markup


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


class _IndexView:
    """One index version: its searcher and what we derive from it once (parser, facet value
    document sets, term document sets, the date column)."""

    def __init__(self, searcher):
        self.searcher = searcher
        reader = searcher.reader()
        self.languages = {term for term in reader.field_terms("language")
                          if term in STEMMED_LANGUAGES}
        self.parser = _make_parser(searcher.schema, sorted(self.languages))
        self.all_docs = frozenset(reader.all_doc_ids())
        self._facet_sets: dict[str, dict[str, frozenset]] = {}
        self._term_docs: dict[tuple[str, str], frozenset] = {}
        self._term_scores: dict[tuple[str, str], dict[int, float]] = {}
        self._lengths: dict[str, list[int]] = {}
        self._cached_postings = 0
        self.scored_fields = set(TEXT_FIELDS) | {stemmed_field(lang) for lang in self.languages}
        self._published_at = None

    def facet_sets(self, index_field: str) -> dict[str, frozenset]:
        if index_field not in self._facet_sets:
            reader = self.searcher.reader()
            self._facet_sets[index_field] = {
                term: frozenset(reader.postings(index_field, term).all_ids())
                for term in reader.field_terms(index_field)
            }
        return self._facet_sets[index_field]

    def term_docs(self, fieldname: str, text) -> frozenset:
        key = (fieldname, text)
        docs = self._term_docs.get(key)
        if docs is None:
            if fieldname in self.scored_fields:
                docs = frozenset(self.term_scores(fieldname, text))
            else:
                try:
                    docs = frozenset(self.searcher.reader().postings(fieldname, text).all_ids())
                except TermNotFound:
                    docs = frozenset()
            self._remember(self._term_docs, key, docs)
        return docs

    def term_scores(self, fieldname: str, text) -> dict[int, float]:
        """BM25 of one term in one field for every document holding it (cached): ranking a
        query is then summing a few dictionaries, not scoring postings again per query."""
        key = (fieldname, text)
        scores = self._term_scores.get(key)
        if scores is None:
            reader = self.searcher.reader()
            try:
                postings = reader.postings(fieldname, text)
            except TermNotFound:
                postings = None
            scores = {}
            if postings is not None:
                n = reader.doc_count_all()
                idf = log(n / (reader.doc_frequency(fieldname, text) + 1)) + 1
                average = self.searcher.avg_field_length(fieldname) or 1.0
                lengths = self.field_lengths(fieldname)
                for docnum, tf in postings.items_as("weight"):
                    norm = K1 * (1 - B + B * lengths[docnum] / average)
                    scores[docnum] = idf * tf * (K1 + 1) / (tf + norm)
            self._remember(self._term_scores, key, scores)
        return scores

    def _remember(self, cache: dict, key, value) -> None:
        """Bounded memory: forget everything once the caches hold too many postings."""
        if len(cache) >= TERM_CACHE_SIZE or self._cached_postings > MAX_CACHED_POSTINGS:
            self._term_docs.clear()
            self._term_scores.clear()
            self._cached_postings = 0
        cache[key] = value
        self._cached_postings += len(value)

    def field_lengths(self, fieldname: str) -> list[int]:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            reader = self.searcher.reader()
            lengths = self._lengths[fieldname] = [
                reader.doc_field_length(docnum, fieldname, 0)
                for docnum in range(reader.doc_count_all())]
        return lengths

    def published_at(self, docnum: int) -> int:
        if self._published_at is None:
            column = self.searcher.reader().column_reader("published_at")
            self._published_at = list(column)
        return self._published_at[docnum]


_views: dict[str, _IndexView] = {}
_views_lock = threading.RLock()


def _view() -> _IndexView | None:
    key = str(index_dir())
    with _views_lock:
        view = _views.get(key)
        if view is not None and view.searcher.up_to_date():
            return view
        # A fresh searcher, not `refresh()`: that reuses segment readers whose deletions may
        # have changed since (a withdrawn case study would linger in results).
        searcher = open_index(Path(key)).searcher()
        if view is not None:
            view.searcher.close()
        view = _views[key] = _IndexView(searcher)
        return view


def _make_parser(schema, languages: list[str]):
    fieldnames = list(TEXT_FIELDS)
    boosts = dict(BOOSTS)
    for lang in languages:
        fieldnames.append(stemmed_field(lang))
        boosts[stemmed_field(lang)] = BOOSTS["body"] * STEM_BOOST
    parser = qparser.MultifieldParser(fieldnames, schema, fieldboosts=boosts,
                                      group=qparser.AndGroup)
    # Users search words and phrases; field names, wildcards, ranges and boosts are not offered.
    for plugin in (qparser.FieldsPlugin, qparser.WildcardPlugin, qparser.RangePlugin,
                   qparser.BoostPlugin, qparser.EveryPlugin, qparser.SingleQuotePlugin):
        parser.remove_plugin_class(plugin)
    return parser


def _without_stemmed_phrases(node):
    """Phrases are matched in the neutral fields only (stemmed fields keep no positions)."""
    if isinstance(node, wq.Phrase) and node.fieldname not in TEXT_FIELDS:
        return NullQuery
    if node.is_leaf():
        return node
    return node.apply(_without_stemmed_phrases)


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


def _parse(view: _IndexView, q: str):
    try:
        query = _without_stemmed_phrases(view.parser.parse(q)).normalize()
    except Exception as error:  # noqa: BLE001  (any parser failure is the user's input, not a 500)
        raise ValidationError(_("We could not understand that search."), field="q") from error
    return query


def _scored_terms(node) -> list[tuple[str, str, float]]:
    """(field, text, boost) of every term that counts towards relevance (not negated ones)."""
    if isinstance(node, wq.Term):
        return [(node.fieldname, node.text, node.boost)]
    if isinstance(node, wq.Phrase):
        return [(node.fieldname, word, node.boost) for word in node.words]
    if isinstance(node, wq.Not):
        return []
    if isinstance(node, wq.AndNot):
        return _scored_terms(node.a)
    if isinstance(node, wq.BinaryQuery):
        return _scored_terms(node.a) + _scored_terms(node.b)
    if isinstance(node, wq.CompoundQuery):
        return [term for sub in node.subqueries for term in _scored_terms(sub)]
    return []


def _rank(view: _IndexView, text_query, matched: frozenset, limit: int) -> list[tuple[int, float]]:
    """The best `limit` of `matched` by BM25 summed over the query's terms and fields."""
    scores: dict[int, float] = {}
    for fieldname, text, boost in set(_scored_terms(text_query)):
        for docnum, score in view.term_scores(fieldname, text).items():
            if docnum in matched:
                scores[docnum] = scores.get(docnum, 0.0) + score * boost
    best = heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))
    if len(best) < limit:  # matched through negation only: no score, keep index order
        best += [(docnum, 0.0) for docnum in sorted(matched - scores.keys())[:limit - len(best)]]
    return best


def _docs(view: _IndexView, node) -> frozenset:
    """The documents matching a parsed query, by set algebra over cached term document sets
    (much faster than Whoosh's matchers for counting every match, which facets need)."""
    if node is NullQuery:
        return frozenset()
    if isinstance(node, wq.Term):
        return view.term_docs(node.fieldname, node.text)
    if isinstance(node, wq.Every):
        return view.all_docs
    if isinstance(node, wq.Or):
        out: set[int] = set()
        for sub in node.subqueries:
            out |= _docs(view, sub)
        return frozenset(out)
    if isinstance(node, wq.And):
        parts = sorted((_docs(view, sub) for sub in node.subqueries), key=len)
        out = set(parts[0]) if parts else set()
        for part in parts[1:]:
            if not out:
                break
            out &= part
        return frozenset(out)
    if isinstance(node, wq.AndNot):
        return _docs(view, node.a) - _docs(view, node.b)
    if isinstance(node, wq.AndMaybe):
        return _docs(view, node.a)
    if isinstance(node, wq.Not):
        return view.all_docs - _docs(view, node.query)
    if isinstance(node, wq.Phrase):  # a chain of adjacent word pairs
        words = list(node.words)
        if len(words) == 1:
            return view.term_docs(node.fieldname, words[0])
        pairs = [wq.Term("shingles", f"{a}_{b}") for a, b in zip(words, words[1:], strict=False)]
        return _docs(view, wq.And(pairs))
    return frozenset(view.searcher.docs_for_query(node))


def _filter_docs(view: _IndexView, filters: dict[str, list[str]]) -> frozenset | None:
    result = None
    for key, values in filters.items():
        sets = view.facet_sets(FACETS[key])
        docs = frozenset().union(*(sets.get(value, frozenset()) for value in values))
        result = docs if result is None else result & docs
    return result


# --- search ---------------------------------------------------------------------------------

def search_case_studies(q: str | None = "", filters: dict | None = None, page=1, per_page=20,
                        sort: str = "relevance") -> SearchResults:
    """Published case studies matching `q` and `filters`, one page of hits, facets, suggestion."""
    q = clean_query(q)
    filters = clean_filters(filters)
    page = clamp_int(page, 1, 1, MAX_PAGE)
    per_page = clamp_int(per_page, 20, 1, MAX_PER_PAGE)
    sort = sort if sort in SORTS else "relevance"
    results = SearchResults(total=0, page=page, per_page=per_page, sort=sort, query=q)
    with _views_lock:
        view = _view()
        text_query = _parse(view, q) if q else Every()
        allowed = _filter_docs(view, filters)
        matched = _docs(view, text_query)
        if allowed is not None:
            matched = matched & allowed
        results.total = len(matched)
        results.facets = _count_facets(view, matched)
        if matched:
            results.hits = _page_of_hits(view, text_query, matched, page, per_page,
                                         by_date=sort == "date" or not q)
        if q:
            results.suggestion = _suggest(view, q, allowed)
    return results


def _count_facets(view: _IndexView, matched: set[int]) -> dict[str, dict[str, int]]:
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


def _page_of_hits(view: _IndexView, text_query, matched: frozenset, page: int, per_page: int,
                  *, by_date: bool) -> list[Hit]:
    searcher = view.searcher
    limit = page * per_page
    if limit - per_page >= len(matched):
        return []
    if by_date:
        newest = heapq.nlargest(limit, matched, key=lambda d: (view.published_at(d), -d))
        ranked = [(docnum, 0.0) for docnum in newest[limit - per_page:]]
    else:
        ranked = _rank(view, text_query, matched, limit)[limit - per_page:]
    terms = query_terms(text_query)
    hits = []
    for docnum, score in ranked:
        stored = searcher.stored_fields(docnum)
        hits.append(Hit(slug=stored["slug"], score=score, highlight=highlight(stored, terms)))
    return hits


# --- did you mean ---------------------------------------------------------------------------

def _suggest(view: _IndexView, q: str, allowed: frozenset | None) -> str | None:
    """A corrected query that would return results, when some word of `q` matches nothing."""
    searcher = view.searcher
    words = [w for w in WORD_RE.findall(q) if w not in OPERATORS and len(w) >= 3
             and not w.isdigit()]
    unknown = []
    for word in dict.fromkeys(words):
        folded = fold(word)
        if any(searcher.doc_frequency(name, folded) for name in TEXT_FIELDS):
            continue
        if _docs(view, _parse(view, word)):
            continue  # found through a stemmed form: not a misspelling
        unknown.append(word)
    if not unknown:
        return None
    options = {}
    for word in unknown:
        folded, found = fold(word), []
        for name in ("title", "body"):
            corrector = searcher.corrector(name)
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
        docs = _docs(view, _parse(view, suggestion))
        if docs and (allowed is None or not docs.isdisjoint(allowed)):
            return suggestion
    return None


# --- more like this -------------------------------------------------------------------------

def similar_case_studies(slug: str, limit: int = 4) -> list[str]:
    """Slugs of published case studies most like `slug` (which is never among them)."""
    limit = clamp_int(limit, 4, 1, 20)
    with _views_lock:
        view = _view()
        searcher = view.searcher
        docnum = searcher.document_number(slug=slug)
        if docnum is None:
            return []
        stored = searcher.stored_fields(docnum)
        text = " ".join([stored.get("title", ""), stored.get("summary", ""),
                         (stored.get("body") or "")[:HIGHLIGHT_SCAN_CHARS]])
        found = searcher.more_like(docnum, "body", text=text, top=limit, numterms=15)
        return [hit["slug"] for hit in found if hit["slug"] != slug][:limit]
