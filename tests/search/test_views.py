"""A new index version's view takes the caches of the segments it shares with the previous view
(`IndexView.carry_over`) instead of reading them again: after publishes, updates and
withdrawals it must answer exactly as a view built from scratch on the same version."""
import threading

from app.search import indexer, searcher
from app.search.indexer import live_dir, open_index
from app.search.schema import FACETS
from app.search.searcher import IndexView, reading_view, refresh_view
from app.search.services import search_case_studies

from .factories import index, make_record

COUNTRIES = ["IT", "FR", "DE", "PL"]
LANGUAGES = ["en", "it", "fr", "de", "pl"]
AREAS = ["ar-vr", "education", "games", "accessibility"]
QUERIES = [("", {}), ("museum", {}), ("museum", {"country": ["FR"]}), ("collection visitors", {}),
           ('"digital collection"', {}), ("", {"area": ["games"]}), ("musei", {}),
           ("collection", {"language": ["it", "pl"]}), ("", {"technology": ["photogrammetry"]})]


def varied(n: int, **fields) -> dict:
    words = ["museum", "collection", "visitors", "digital", "musei", "archive"]
    return make_record(
        title=f"{words[n % 6].capitalize()} {words[(n + 2) % 6]} {n}",
        body=" ".join(words[(n + k) % 6] for k in range(n % 5 + 3)),
        country=COUNTRIES[n % 4], language=LANGUAGES[n % 5],
        areas=[AREAS[n % 4], AREAS[(n + 1) % 4]][: n % 2 + 1],
        technologies=["photogrammetry"] if n % 3 else ["3d-printing"], **fields)


def fresh_view() -> IndexView:
    view = IndexView(open_index().searcher(), live_dir())
    view.warm()
    return view


def caches(view: IndexView) -> dict:
    reader = view.searcher.reader()
    return {
        "facets": {field: {term: docs for term, docs in view.facet_sets(field).items() if docs}
                   for field in FACETS.values()},
        "lengths": {field: view.field_lengths(field) for field in sorted(view.scored_fields)
                    if field in view.searcher.schema},
        "dates": [view.published_at(docnum) for docnum in range(reader.doc_count_all())],
        "ids": view.docnum_of_record(),
        "live": view.all_docs,
    }


def answers() -> list:
    out = []
    for q, filters in QUERIES:
        results = search_case_studies(q, filters, 1, 50, "relevance")
        out.append((results.total, [(hit.slug, round(hit.score, 9)) for hit in results.hits],
                    results.facets))
    return out


def answers_of(view: IndexView, monkeypatch) -> list:
    with monkeypatch.context() as patch:
        patch.setitem(searcher._views, str(indexer.index_root()), view)
        return answers()


def apply(records: list[dict] = (), withdrawn: list[dict] = ()) -> None:
    """What applying the change log does: re-index or delete, one commit."""
    indexer._apply(live_dir(), {record["id"]: record for record in records},
                   {record["id"] for record in [*records, *withdrawn]}, set())


def test_a_carried_view_equals_a_fresh_view_after_every_kind_of_change(app, monkeypatch):
    base = index(*(varied(n) for n in range(60)))
    refresh_view(force=True)
    added = []
    changes = [
        lambda: apply([dict(base[3], country="PL", title="Museum moved")]),       # update
        lambda: apply(withdrawn=[base[5]]),                                       # withdraw
        lambda: added.append(varied(61)) or apply([added[-1]]),            # publish
        lambda: apply([dict(base[7], areas=["games"], language="de")]),
        lambda: apply(withdrawn=[added[-1]]),                          # withdraw a new one
        lambda: added.append(varied(70)) or apply([added[-1], dict(base[9], year=2019)]),
        lambda: apply(withdrawn=[base[0], base[59]]),
        lambda: apply([dict(base[5], title="Back again")]),            # re-publish a withdrawn
        *[lambda n=n: apply([dict(base[10 + n], summary=f"Revised {n}")]) for n in range(6)],
    ]
    answers()  # the terms queries asked recently: the next view scores them in its warm-up
    carried = 0
    read = []
    original_blocks = searcher._posting_blocks
    for change in changes:
        change()
        with monkeypatch.context() as patch:  # which postings the new view reads whole
            patch.setattr(searcher, "_posting_blocks",
                          lambda *args: read.append(args[1:]) or original_blocks(*args))
            view = refresh_view()
        carried += view.carried
        hot = view.hot_terms()
        assert hot and read == []  # the recent terms scored again from carried postings
        fresh = fresh_view()
        try:
            assert caches(view) == caches(fresh)
            assert {key: list(view.term_scores(*key).items()) for key in hot} == \
                {key: list(fresh.term_scores(*key).items()) for key in hot}
            assert answers() == answers_of(fresh, monkeypatch)
        finally:
            fresh.close()
    # small segments are merged into each other now and then; the large one is carried each time
    assert carried == len(changes)


def test_a_replaced_view_stays_open_for_its_reader_and_the_swap_does_not_wait(app):
    first = index(varied(1))[0]
    holding, release = threading.Event(), threading.Event()
    seen = {}

    def reader():
        with app.app_context(), reading_view() as view:
            seen["view"] = view
            holding.set()
            release.wait(30)
            seen["total"] = len(view.all_docs)
            seen["title"] = view.searcher.stored_fields(0)["title"]  # still open

    thread = threading.Thread(target=reader)
    thread.start()
    assert holding.wait(30)
    apply([dict(first, title="Changed")])
    newer = refresh_view()  # swaps while the reader still holds the old view
    old = seen["view"]
    assert newer is not old and old.retired and not old.closed
    assert search_case_studies("changed", {}, 1, 20).total == 1  # the new view, not blocked
    release.set()
    thread.join(30)
    assert seen["total"] == 1 and seen["title"] == first["title"]
    assert old.closed  # by its last reader
    with reading_view() as view:
        assert view is newer
