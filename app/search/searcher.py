"""Reading the index fast: one index version's searcher with what we derive from it once, and
the set algebra that matches, filters and ranks documents. Used by `services.py` only.

A searcher is kept per index directory and refreshed when a writer has committed; with it we
cache, per index version, the query parser over the fields that exist and the document sets of
every facet value, so counting facets for a query is a few set intersections.
"""
import heapq
import threading
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from math import log
from pathlib import Path

from whoosh import qparser
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import NullQuery
from whoosh.reading import TermNotFound

from .analysis import load_dictionaries
from .concepts import CONCEPT_FIELD, ConceptPlugin, concept_table
from .indexer import index_root, live_dir
from .phrases import PhraseReader
from .schema import (
    BOOSTS, FACETS, STEM_BOOST, STEMMED_LANGUAGES, TEXT_FIELDS, build_schema, stemmed_field,
)

TERM_CACHE_SIZE = 4096
MAX_CACHED_POSTINGS = 1_000_000  # about 100 MB of cached term sets and scores per process
K1, B = 1.2, 0.75  # BM25, as Whoosh's default BM25F


class IndexView:
    """One index version: its searcher and what we derive from it once (parser, facet value
    document sets, term document sets, the date column).

    Queries hold the view's own `lock` (Whoosh readers share file handles between threads), not
    a lock the swap to a newer view needs: a view replaced while a query still reads it is
    closed by the last reader (`reading_view`)."""

    def __init__(self, searcher, directory: Path | None = None):
        self.searcher = searcher
        self.directory = directory
        self.lock = threading.RLock()
        self.retired = self.closed = False
        self.readers = 0  # queries holding it (changed under `lock`)
        self.carried = False  # whether `carry_over` took the caches of the previous view
        self.phrases = PhraseReader(directory)
        self._docnums: dict[int, int] | None = None
        reader = searcher.reader()
        #: (segment id, documents, deleted documents) of each segment in docnum order: what a
        #: newer view compares to know which of our docnums still name the same documents
        self.segments = _segments(reader)
        # every language a version is written in (originals and translations)
        self.languages = {term for term in reader.field_terms("languages")
                          if term in STEMMED_LANGUAGES}
        self.parser = _make_parser(searcher.schema, sorted(self.languages))
        self._all_docs: frozenset | None = None
        self._facet_sets: dict[str, dict[str, frozenset]] = {}
        self._term_docs: dict[tuple[str, str], frozenset] = {}
        self._term_scores: dict[tuple[str, str], dict[int, float]] = {}
        #: (field, term) -> its live postings (document numbers, frequencies), as read for
        #: `term_scores`: a newer view scores the recently asked terms again (BM25 moves with
        #: the document count) from these, reading only its new segments' postings
        self._postings: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        self._lengths: dict[str, list[int]] = {}
        self._cached_postings = 0
        self.scored_fields = set(TEXT_FIELDS) | {stemmed_field(lang) for lang in self.languages}
        self.scored_fields.add(CONCEPT_FIELD)
        self._published_at = None

    @property
    def all_docs(self) -> frozenset:
        """The live documents' numbers."""
        if self._all_docs is None:
            self._all_docs = frozenset(self.searcher.reader().all_doc_ids())
        return self._all_docs

    def is_current(self) -> bool:
        """Still the live version, with nothing committed to it since it was opened."""
        directory = live_dir()
        if directory != self.directory:
            return False
        return directory is None or self.searcher.up_to_date()

    def docnum_of_record(self) -> dict[int, int]:
        """Record id -> document number in this version (live documents only)."""
        if self._docnums is None:
            reader = self.searcher.reader()
            docnums = {}
            for term in reader.field_terms("id"):
                for docnum in reader.postings("id", term).all_ids():
                    docnums[int(term)] = docnum
            self._docnums = docnums
        return self._docnums

    def phrase_docs(self, words: list[str]) -> frozenset:
        key = ("\x00phrase", " ".join(words))  # a query asks once per neutral field
        docs = self._term_docs.get(key)
        if docs is None:
            docnums = self.docnum_of_record()
            docs = frozenset(docnums[i] for i in self.phrases.record_ids(words) if i in docnums)
            self._remember(self._term_docs, key, docs)
        return docs

    def close(self) -> None:
        self.closed = True
        self.searcher.close()
        self.phrases.close()

    def carry_over(self, old: "IndexView") -> bool:
        """Take what `old` derived from the segments both versions share instead of reading it
        again: a publish adds a small segment (merging other small ones into it) and marks the
        old copy of the document deleted, so the large segments stay, at the same docnums.
        Only what does not depend on index-wide statistics is carried (facet sets, field
        lengths, the date column, the id map, the live documents); BM25 term scores depend on
        the document count and average lengths, so they are computed again (`warm`).
        Returns False (nothing carried) when the versions share no leading segment."""
        shared = 0
        for mine, theirs in zip(self.segments, old.segments, strict=False):
            if mine[0] is None or mine[0] != theirs[0] or mine[1] != theirs[1] \
                    or not theirs[2] <= mine[2]:
                break
            shared += 1
        if not shared:
            return False
        base = sum(count for _segid, count, _deleted in self.segments[:shared])
        old_total = sum(count for _segid, count, _deleted in old.segments)
        stale = set(range(base, old_total))  # old docnums in segments merged away since
        offset = 0
        for (_segid, count, deleted), (_s, _c, deleted_before) in zip(
                self.segments[:shared], old.segments[:shared], strict=True):
            stale.update(offset + docnum for docnum in deleted - deleted_before)
            offset += count
        tail = [(leaf, offset) for leaf, offset in self.searcher.reader().leaf_readers()
                if offset >= base]
        # Snapshots: queries on the old view may add to its caches meanwhile.
        # (nothing here reads the old view's searcher: it may be closed meanwhile)
        facet_sets, lengths = dict(old._facet_sets), dict(old._lengths)
        published, docnums = old._published_at, old._docnums
        postings = dict(old._postings)

        def kept(docs: frozenset) -> frozenset:
            return docs if docs.isdisjoint(stale) else docs - stale

        if old._all_docs is not None:
            self._all_docs = kept(old._all_docs).union(
                offset + docnum for leaf, offset in tail for docnum in leaf.all_doc_ids())
        for index_field, sets in facet_sets.items():
            carried = {term: kept(docs) for term, docs in sets.items()}
            for leaf, offset in tail:
                for term in leaf.field_terms(index_field):
                    added = frozenset(offset + d for d in leaf.postings(index_field, term).all_ids())
                    carried[term] = carried[term] | added if term in carried else added
            self._facet_sets[index_field] = carried
        for fieldname, values in lengths.items():
            self._lengths[fieldname] = values[:base] + [
                leaf.doc_field_length(docnum, fieldname, 0)
                for leaf, _offset in tail for docnum in range(leaf.doc_count_all())]
        if published is not None and all(leaf.has_column("published_at") for leaf, _ in tail):
            self._published_at = published[:base] + [
                value for leaf, _offset in tail for value in leaf.column_reader("published_at")]
        if docnums is not None:
            carried_ids = {record_id: docnum for record_id, docnum in docnums.items()
                           if docnum < base and docnum not in stale}
            for leaf, offset in tail:
                for term in leaf.field_terms("id"):
                    for docnum in leaf.postings("id", term).all_ids():
                        carried_ids[int(term)] = offset + docnum
            self._docnums = carried_ids
        stale_below = sorted(docnum for docnum in stale if docnum < base)
        for key in old.hot_terms():
            if key in postings:
                self._postings[key] = _carried_postings(*postings[key], base, stale_below,
                                                        tail, *key)
        self.carried = True
        return True

    def hot_terms(self) -> list[tuple[str, str]]:
        return list(self._term_scores)[-WARM_TERMS:]

    def warm(self, terms: list[tuple[str, str]] = ()) -> None:
        """Compute now what the first queries would otherwise pay for: facet document sets,
        field lengths, the date column, the scores of the terms recently asked for, and the
        lemma dictionaries of the index's languages (seconds each in a new process: the first
        query of a process without a follower paid 7.3 s for them)."""
        load_dictionaries(self.languages)
        for index_field in FACETS.values():
            self.facet_sets(index_field)
        for fieldname in sorted(self.scored_fields):
            if fieldname in self.searcher.schema:
                self.field_lengths(fieldname)
        if self.all_docs:  # (the live documents, computed once)
            self.published_at(0)
        self.docnum_of_record()
        for fieldname, text in terms:
            self.term_scores(fieldname, text)
        self.parser.parse("museum")

    def facet_sets(self, index_field: str) -> dict[str, frozenset]:
        if index_field not in self._facet_sets:
            reader = self.searcher.reader()
            self._facet_sets[index_field] = {
                term: frozenset(docnum for ids, _weights in _posting_blocks(reader, index_field, term)
                                for docnum in ids)
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
            scores = {}
            ids, weights = self._postings.pop(key, None) or _all_postings(
                _posting_blocks(reader, fieldname, text))
            if ids:
                n = reader.doc_count_all()
                idf = log(n / (reader.doc_frequency(fieldname, text) + 1)) + 1
                average = self.searcher.avg_field_length(fieldname) or 1.0
                lengths = self.field_lengths(fieldname)
                for docnum, tf in zip(ids, weights, strict=True):
                    norm = K1 * (1 - B + B * lengths[docnum] / average)
                    scores[docnum] = idf * tf * (K1 + 1) / (tf + norm)
            self._remember(self._term_scores, key, scores)
            self._postings[key] = (ids, weights)
            self._cached_postings += len(ids)
        return scores

    def _remember(self, cache: dict, key, value) -> None:
        """Bounded memory: forget everything once the caches hold too many postings."""
        if len(cache) >= TERM_CACHE_SIZE or self._cached_postings > MAX_CACHED_POSTINGS:
            self._term_docs.clear()
            self._term_scores.clear()
            self._postings.clear()
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


def _segments(reader) -> list[tuple[str | None, int, frozenset]]:
    out = []
    for leaf, _offset in reader.leaf_readers():
        segment = leaf.segment()
        deleted = frozenset(segment.deleted_docs()) if segment is not None else frozenset()
        out.append((getattr(segment, "segid", None), leaf.doc_count_all(), deleted))
    return out


def _all_postings(blocks) -> tuple[list[int], list[float]]:
    ids: list[int] = []
    weights: list[float] = []
    for block_ids, block_weights in blocks:
        ids.extend(block_ids)
        weights.extend(block_weights)
    return ids, weights


def _carried_postings(ids: list[int], weights: list[float], base: int, stale_below: list[int],
                      tail, fieldname: str, text) -> tuple[list[int], list[float]]:
    """A term's postings in a newer view that shares the segments below docnum `base`: the old
    view's below `base` (ascending) without the documents deleted since (`stale_below`), then
    the postings of the newer view's own segments (`tail`), as reading them all would give."""
    end = bisect_left(ids, base)
    ids, weights = ids[:end], weights[:end]
    for docnum in stale_below:
        at = bisect_left(ids, docnum)
        if at < len(ids) and ids[at] == docnum:
            del ids[at], weights[at]
    new_ids, new_weights = _all_postings(_leaf_posting_blocks(tail, fieldname, text))
    return ids + new_ids, weights + new_weights


def _posting_blocks(reader, fieldname: str, text) -> Iterator[tuple[list[int], list[float]]]:
    """The live documents holding a term and its weight (frequency) in each, a block of
    postings at a time: the same as `reader.postings(...).items_as("weight")`, without
    Whoosh's several Python calls per posting (they were most of a view's warm-up)."""
    return _leaf_posting_blocks(reader.leaf_readers(), fieldname, text)


def _leaf_posting_blocks(leaves, fieldname: str, text) -> Iterator[tuple[list[int], list[float]]]:
    for leaf, offset in leaves:
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        deleted = frozenset()
        if isinstance(matcher, FilterMatcher):  # the segment's deleted documents left out
            deleted, matcher = leaf.deleted_docs_set, matcher.child
            matcher.reset()
        if not isinstance(matcher, W3LeafMatcher):  # another codec: the documented way
            pairs = list(matcher.items_as("weight"))
            yield ([offset + d for d, _w in pairs if d not in deleted],
                   [w for d, w in pairs if d not in deleted])
            continue
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids, weights = matcher._ids, matcher._weights
            if deleted:
                kept = [i for i, docnum in enumerate(ids) if docnum not in deleted]
                ids, weights = [ids[i] for i in kept], [weights[i] for i in kept]
            yield ([docnum + offset for docnum in ids] if offset else list(ids)), list(weights)
            matcher._next_block()


_views: dict[str, IndexView] = {}
#: guards `_views` only, for the moment of a look-up or a swap (queries hold their view's lock)
views_lock = threading.RLock()
#: index roots whose views a background follower keeps fresh in this process (follower.py):
#: readers then never open a searcher themselves once they have one
_refreshed_in_background: set[str] = set()
WARM_TERMS = 256  # the most recent terms of the old view scored again in a new one


def _empty_index():
    from whoosh.filedb.filestore import RamStorage

    return RamStorage().create_index(build_schema())


def loaded_view() -> IndexView | None:
    """The view readers of this process are given now, without opening or refreshing one."""
    with views_lock:
        return _views.get(str(index_root()))


def current_view() -> IndexView:
    """The view of this machine's live index version. Readers never wait for a new version
    when a background follower refreshes this process's views: they keep the current one
    until the new one is open and warm (`refresh_view`)."""
    root = str(index_root())
    with views_lock:
        view = _views.get(root)
    if view is not None and (root in _refreshed_in_background or view.is_current()):
        return view
    return refresh_view()


@contextmanager
def reading_view() -> Iterator[IndexView]:
    """The current view, held for one query: other queries of this view wait (a Whoosh
    reader is not shared between threads at once), a swap to a newer view does not."""
    view = None
    try:
        while view is None:
            candidate = current_view()
            with candidate.lock:
                if not candidate.closed:  # else replaced and closed meanwhile: look again
                    view = candidate
                    view.readers += 1
                    try:
                        yield view
                    finally:
                        view.readers -= 1
    finally:
        if view is not None and view.retired:
            _close_if_unused(view)


def _close_if_unused(view: IndexView) -> None:
    """Close a replaced view now unless a query holds it; that query closes it when done."""
    if view.lock.acquire(blocking=False):
        try:
            if not view.closed and not view.readers:
                view.close()
        finally:
            view.lock.release()


def refresh_view(*, force: bool = False) -> IndexView:
    """Open the live version, warm a view of it outside the readers' lock, then swap it in."""
    fresh = open_view(force=force)
    return loaded_view() if fresh is None else install_view(fresh)


def open_view(*, force: bool = False) -> IndexView | None:
    """A warm view of the live version, not yet given to readers; None when the loaded view is
    still current. Takes no lock: a follower runs it in a real thread under eventlet, where a
    green lock must not be waited on or released (install the view from the green thread)."""
    root = str(index_root())
    old = _views.get(root)  # one dict read: atomic
    if old is not None and not force and old.is_current():
        return None
    directory = live_dir(Path(root))
    ix = _open_for_reading(directory) if directory is not None else None
    # A fresh searcher every time, not `refresh()`: that reuses segment readers whose
    # deletions may have changed since (a withdrawn case study would linger in results).
    fresh = IndexView(ix.searcher() if ix is not None else _empty_index().searcher(), directory)
    if old is not None and old.directory == directory:
        fresh.carry_over(old)  # the same version folder, a later commit
    fresh.warm(old.hot_terms() if old is not None else [])
    return fresh


def install_view(fresh: IndexView) -> IndexView:
    """Give readers `fresh` from now on; the view it replaces closes once no query holds it."""
    root = str(index_root())
    with views_lock:
        previous = _views.get(root)
        _views[root] = fresh
    if previous is not None and previous is not fresh:
        previous.retired = True
        _close_if_unused(previous)
    return fresh


def _open_for_reading(directory: Path):
    """The index in `directory`, its files read through file handles, not memory-mapped:
    Whoosh copies each memory-mapped file of a segment into memory when it opens a reader
    (the postings of 10,000 case studies: 150 ms holding the GIL, and a copy per open view,
    old and new at a swap), which stalled every query of the process at each publish."""
    return FileStorage(str(directory), supports_mmap=False).open_index()


def keep_fresh_in_background(root: Path, enabled: bool = True) -> None:
    (_refreshed_in_background.add if enabled else _refreshed_in_background.discard)(str(root))


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
    parser.add_plugin(ConceptPlugin(concept_table()))
    return parser


def without_stemmed_phrases(node):
    """Phrases are matched in the neutral fields only (stemmed fields keep no positions)."""
    if isinstance(node, wq.Phrase) and node.fieldname not in TEXT_FIELDS:
        return NullQuery
    if node.is_leaf():
        return node
    return node.apply(without_stemmed_phrases)




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


def rank(view: IndexView, text_query, matched: frozenset, limit: int) -> list[tuple[int, float]]:
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


def matching_docs(view: IndexView, node) -> frozenset:
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
            out |= matching_docs(view, sub)
        return frozenset(out)
    if isinstance(node, wq.And):
        parts = sorted((matching_docs(view, sub) for sub in node.subqueries), key=len)
        out = set(parts[0]) if parts else set()
        for part in parts[1:]:
            if not out:
                break
            out &= part
        return frozenset(out)
    if isinstance(node, wq.AndNot):
        return matching_docs(view, node.a) - matching_docs(view, node.b)
    if isinstance(node, wq.AndMaybe):
        return matching_docs(view, node.a)
    if isinstance(node, wq.Not):
        return view.all_docs - matching_docs(view, node.query)
    if isinstance(node, wq.Phrase):  # in any version's text (phrases.py)
        words = list(node.words)
        if len(words) == 1:
            return view.term_docs(node.fieldname, words[0])
        return view.phrase_docs(words)
    return frozenset(view.searcher.docs_for_query(node))


def filter_docs(view: IndexView, filters: dict[str, list[str]]) -> frozenset | None:
    result = None
    for key, values in filters.items():
        sets = view.facet_sets(FACETS[key])
        docs = frozenset().union(*(sets.get(value, frozenset()) for value in values))
        result = docs if result is None else result & docs
    return result
