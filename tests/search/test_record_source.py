"""Search indexes whatever record source was registered: it knows no feature of its own."""
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.search.records import EXTENSION_KEY, RecordSource, record_source, register_record_source
from app.search.services import (
    apply_pending_changes, check_index, enqueue_index_change, rebuild_index, search_case_studies,
)

from .factories import make_record


@pytest.fixture
def records(app):
    """A source of plain dicts, registered in place of the archive's for one test."""
    held: dict[int, dict] = {}
    source = RecordSource(
        count=lambda: len(held), iter_records=lambda: iter(list(held.values())),
        records_for=lambda _session, ids: {i: held[i] for i in ids if i in held})
    archive_source = app.extensions[EXTENSION_KEY]
    register_record_source(app, source)
    yield held
    register_record_source(app, archive_source)


def found(q: str) -> list[str]:
    return [hit.slug for hit in search_case_studies(q, {}, 1, 20, "relevance").hits]


def test_the_archive_registers_its_published_case_studies_at_start_up(app):
    assert record_source().records_for.__module__ == "app.archive.indexing"


def test_a_change_reaches_the_index_through_the_registered_source(app, records):
    assert rebuild_index() == 0  # this machine's index, built before the change
    records[7] = make_record(id=7, slug="tapestry", title="Tapestry conservation")
    enqueue_index_change(SimpleNamespace(id=7, slug="tapestry"), "upsert")
    db.session.commit()
    assert apply_pending_changes() == 1
    assert found("tapestry") == ["tapestry"]
    del records[7]  # the record's row is gone: the drain removes it by slug
    enqueue_index_change(SimpleNamespace(id=7, slug="tapestry"), "delete")
    db.session.commit()
    assert apply_pending_changes() == 1
    assert found("tapestry") == []


def test_rebuild_and_check_read_the_registered_source(app, records):
    records[1] = make_record(id=1, slug="one", title="Loom")
    records[2] = make_record(id=2, slug="two", title="Loom again")
    assert rebuild_index() == 2
    assert check_index().in_sync
    records[2] = make_record(id=2, slug="two", title="Renamed")
    assert check_index().stale == ["two"]


def test_without_a_registered_source_search_says_what_is_missing(app):
    app.extensions.pop(EXTENSION_KEY)
    with pytest.raises(RuntimeError, match="record source"):
        rebuild_index()


def test_a_build_in_two_processes_answers_as_one_built_in_one(app, records, monkeypatch):
    """A rebuild of PARALLEL_BUILD_FROM records or more is written by SEARCH_BUILD_PROCESSES
    child processes (one segment each): its answers, facets and check equal a one-process
    build's; and so do both with Whoosh's own writers (SEARCH_BULK_WRITER=0)."""
    from app.search import indexer

    words = ["tapestry", "loom", "amber", "fresco", "mosaic"]
    for n in range(240):
        record = make_record(title=f"{words[n % 5].title()} case {n}",
                             body=f"The {words[n % 5]} and the {words[(n + 2) % 5]} workshop.",
                             country=["IT", "PL", "FR"][n % 3])
        records[record["id"]] = record
    queries = ["tapestry", "amber workshop", '"the loom"', "fresco OR mosaic"]

    def answers():  # every match (equal scores may tie in another order), total and facets
        result = []
        for q in queries:
            first = search_case_studies(q, {}, 1, 50, "relevance")
            slugs = {hit.slug for page in range(1, 6)
                     for hit in search_case_studies(q, {}, page, 50, "relevance").hits}
            result.append((first.total, sorted(slugs), first.facets))
        return result

    monkeypatch.setattr(indexer, "PARALLEL_BUILD_FROM", 100)
    app.config["SEARCH_BUILD_PROCESSES"] = 1
    assert rebuild_index() == 240
    in_one = answers()
    app.config["SEARCH_BUILD_PROCESSES"] = 2
    assert rebuild_index() == 240
    assert len(indexer.open_index().reader().leaf_readers()) == 2  # one segment per process
    assert answers() == in_one
    assert in_one[0][0] == 96 and check_index().in_sync
    app.config["SEARCH_BULK_WRITER"] = False  # the fence: Whoosh's own writers, same answers
    for processes in (1, 2):
        app.config["SEARCH_BUILD_PROCESSES"] = processes
        assert rebuild_index() == 240
        assert answers() == in_one and check_index().in_sync
