"""The index follows publishing through the change log: same transaction, append-only, one
writer per machine, nothing lost on a crash, nothing unpublished leaks; every machine keeps its
own index and applies the log itself."""
import multiprocessing
import threading

import pytest
from sqlalchemy import func, select

from app.archive.importing import import_records
from app.archive.models import CaseStudy
from app.archive.services import withdraw_case_study
from app.extensions import db
from app.search import indexer
from app.search.indexer import (
    LogPosition, apply_log, build_from_scratch, check_against_database, index_write_lock,
    live_dir, open_index,
)
from app.search.models import SearchChange
from app.search.services import (
    apply_pending_changes, enqueue_index_change, index_lag, search_case_studies,
    similar_case_studies,
)
from tests.factories import make_user

from . import workers
from .factories import archive_record


def publish(**fields) -> CaseStudy:
    record = archive_record(**fields)
    report = import_records([record])
    assert not report.errors, report.errors
    return db.session.execute(select(CaseStudy).where(CaseStudy.slug == record["slug"])).scalar_one()


def log_rows() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(row.slug, row.action)
            for row in db.session.scalars(select(SearchChange).order_by(SearchChange.id))]


def found(q, filters=None) -> list[str]:
    return [hit.slug for hit in search_case_studies(q, filters or {}, 1, 50, "relevance").hits]


def test_publishing_appends_to_the_log_and_indexes_the_case_study(app):
    assert index_lag() is None  # this machine has no index yet
    publish(slug="tattile", title="Il museo tattile", language="it", country="IT")
    assert found("musei") == ["tattile"]
    assert log_rows() == [("tattile", "upsert")]  # append-only: the entry stays
    assert index_lag() == 0


def test_enqueue_belongs_to_the_callers_transaction(app):
    case_study = publish(slug="rolled-back")
    enqueue_index_change(case_study, "upsert")
    db.session.rollback()
    assert log_rows() == [("rolled-back", "upsert")]
    with pytest.raises(ValueError):
        enqueue_index_change(case_study, "explode")


def test_withdrawn_case_study_leaves_search_facets_suggestions_and_similar(app):
    admin = make_user(admin=True)
    kept = publish(slug="kept", title="Weaving looms of Prato", country="IT",
                   sections={"challenge": "Looms, weaving and textile archives."})
    gone = publish(slug="gone", title="Weaving looms of Lyon", country="FR",
                   sections={"challenge": "Looms, weaving and the zygomorphic textile archives."})
    assert sorted(found("looms")) == ["gone", "kept"]
    assert similar_case_studies("kept") == ["gone"]
    withdraw_case_study(admin, gone, "outdated")
    results = search_case_studies("looms", {}, 1, 20, "relevance")
    assert [hit.slug for hit in results.hits] == ["kept"]
    assert results.facets["country"] == {"IT": 1}
    assert found("", {"country": ["FR"]}) == []
    assert search_case_studies("zygomorphc", {}, 1, 20, "relevance").suggestion is None
    assert similar_case_studies("kept") == [] and similar_case_studies("gone") == []
    assert index_lag() == 0 and check_against_database().in_sync
    assert log_rows()[-1] == ("gone", "delete")
    assert kept.slug == "kept"


def test_incremental_updates_give_the_same_results_as_a_full_reindex(app):
    admin = make_user(admin=True)
    for n, (country, lang) in enumerate([("IT", "it"), ("FR", "fr"), ("DE", "de"), ("IT", "en")]):
        publish(slug=f"cs{n}", title=f"Digital collection {n}", country=country, language=lang,
                sections={"results": f"Visitors doubled in the museum {n}."})
    publish(slug="cs1", title="Collections numériques", country="FR", language="fr")  # update
    withdraw_case_study(admin, db.session.scalar(select(CaseStudy).where(CaseStudy.slug == "cs2")))
    queries = [("collection", {}), ("museum", {"country": ["IT"]}), ("", {}),
               ("numerique", {}), ("visitors", {"language": ["en", "it"]})]

    def snapshot():
        out = []
        for q, filters in queries:
            r = search_case_studies(q, filters, 1, 20, "relevance")
            out.append((r.total, sorted(h.slug for h in r.hits), r.facets, r.suggestion))
        return out

    incremental = snapshot()
    assert check_against_database().in_sync
    first = live_dir()
    build_from_scratch()
    assert live_dir() != first  # a new version, swapped in
    assert snapshot() == incremental


def test_an_error_inside_the_writer_keeps_the_entry_for_the_next_look(app, monkeypatch):
    publish(slug="first", title="Indexed before anything broke")

    def broken(record):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(indexer, "document_for", broken)
    publish(slug="later", title="Published during an index failure")  # must not raise
    assert found("failure") == [] and index_lag() == 1
    monkeypatch.undo()
    assert apply_pending_changes() == 1
    assert found("failure") == ["later"] and index_lag() == 0


def test_a_crash_after_the_index_commit_reapplies_the_entry_harmlessly(app, monkeypatch):
    publish(slug="first", title="Builds the index")

    def crash(self, directory):
        raise SystemExit("killed between the index commit and the position write")

    monkeypatch.setattr(LogPosition, "write", crash)
    with pytest.raises(SystemExit):
        publish(slug="twice", title="Indexed twice")
    monkeypatch.undo()
    assert index_lag() == 1
    assert apply_pending_changes() == 1
    assert found("twice") == ["twice"] and index_lag() == 0
    with open_index().searcher() as searcher:
        assert searcher.doc_count() == 2


def test_a_busy_index_delays_the_update_but_never_raises(app):
    case_study = publish(slug="busy", title="Waiting for the lock")
    enqueue_index_change(case_study, "delete")
    db.session.commit()
    held, release = threading.Event(), threading.Event()

    def hold_lock():
        with app.app_context(), index_write_lock():
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    held.wait(10)
    try:
        with pytest.raises(indexer.IndexBusy):
            apply_log(timeout=0.2)
        assert index_lag() == 1
    finally:
        release.set()
        holder.join()
    writer = open_index().writer()  # Whoosh's own lock, held by someone else
    try:
        with pytest.raises(indexer.IndexBusy):
            apply_log(timeout=0.2)
    finally:
        writer.cancel()
    assert apply_log() == 1 and index_lag() == 0
    # The entry said "delete" but the case study is still published: applying indexes the
    # current state, never a stale instruction.
    assert found("waiting") == ["busy"]
    assert check_against_database().in_sync


def test_the_position_skips_a_gap_only_after_the_grace(monkeypatch):
    position = LogPosition(watermark=3)
    position.advance([4, 6, 7], last_seen=7, now=1000.0)  # 5 not committed yet (PostgreSQL)
    assert position.watermark == 4 and position.above == {6, 7} and 5 in position.gaps
    position.advance([5], last_seen=7, now=1001.0)
    assert position.watermark == 7 and position.above == set() and position.gaps == {}
    position.advance([9], last_seen=9, now=2000.0)  # 8 was rolled back: never appears
    assert position.watermark == 7
    position.advance([], last_seen=9, now=2000.0 + indexer.GAP_GRACE)
    assert position.watermark == 9 and position.gaps == {}


@pytest.mark.multiprocess
def test_two_processes_publishing_at_once_lose_nothing(app, database_url):
    data_dir = str(app.config["DATA_DIR"])
    batches = [[archive_record(slug=f"p{p}-{n}", title=f"Parallel study {p} {n}")
                for n in range(8)] for p in range(2)]
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=workers.publish_one_by_one,
                                 args=(database_url, data_dir, batch)) for batch in batches]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
        assert process.exitcode == 0
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(SearchChange)) == 16
    assert index_lag() == 0
    results = search_case_studies("parallel", {}, 1, 50, "relevance")
    assert results.total == 16
    assert check_against_database().in_sync


@pytest.mark.multiprocess
def test_a_process_killed_mid_apply_loses_nothing(app, database_url):
    publish(slug="first", title="Builds the index")
    case_study = CaseStudy(slug="orphan", title="Killed", status="draft")
    db.session.add(case_study)
    db.session.commit()
    enqueue_index_change(db.session.get(CaseStudy, case_study.id), "upsert")
    db.session.commit()
    publish(slug="survivor", title="Survives a killed apply")
    db.session.expire_all()
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=workers.crash_after_index_commit,
                              args=(database_url, str(app.config["DATA_DIR"]),
                                    db.session.scalar(select(func.max(SearchChange.id)))))
    process.start()
    process.join(120)
    assert process.exitcode == 17
    assert index_lag() == 2  # indexed, but the position was never written
    assert apply_pending_changes() == 2
    assert found("survives") == ["survivor"] and index_lag() == 0
