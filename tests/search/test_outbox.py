"""The index follows publishing through the outbox: same transaction, one writer at a time,
rows deleted only after the index commit, nothing lost on a crash, nothing unpublished leaks."""
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
    check_against_database, drain_pending, index_write_lock, open_index, rebuild_from_database,
)
from app.search.models import SearchOutbox
from app.search.services import (
    apply_pending_changes, enqueue_index_change, search_case_studies, similar_case_studies,
)
from tests.factories import make_user

from . import workers
from .factories import archive_record


def publish(**fields) -> CaseStudy:
    record = archive_record(**fields)
    report = import_records([record])
    assert not report.errors, report.errors
    return db.session.execute(select(CaseStudy).where(CaseStudy.slug == record["slug"])).scalar_one()


def outbox_rows() -> list[SearchOutbox]:
    db.session.expire_all()
    return list(db.session.scalars(select(SearchOutbox)))


def found(q, filters=None) -> list[str]:
    return [hit.slug for hit in search_case_studies(q, filters or {}, 1, 50, "relevance").hits]


def test_publishing_indexes_the_case_study_and_empties_the_outbox(app):
    publish(slug="tattile", title="Il museo tattile", language="it", country="IT")
    assert found("musei") == ["tattile"]
    assert outbox_rows() == []


def test_enqueue_belongs_to_the_callers_transaction(app):
    case_study = publish(slug="rolled-back")
    enqueue_index_change(case_study, "upsert")
    db.session.rollback()
    assert outbox_rows() == []
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
    assert outbox_rows() == [] and check_against_database().in_sync
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
    rebuild_from_database()
    assert snapshot() == incremental


def test_an_error_inside_the_writer_keeps_the_row_for_the_next_drain(app, monkeypatch):
    def broken(record):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(indexer, "document_for", broken)
    publish(slug="later", title="Published during an index failure")  # must not raise
    rows = outbox_rows()
    assert [(row.slug, row.attempts) for row in rows] == [("later", 1)]
    assert found("failure") == []
    monkeypatch.undo()
    assert apply_pending_changes() == 1
    assert found("failure") == ["later"] and outbox_rows() == []


def test_a_crash_after_the_index_commit_reapplies_the_row_harmlessly(app, monkeypatch):
    def crash(session, row_ids):
        raise SystemExit("killed between the index commit and the outbox delete")

    monkeypatch.setattr(indexer, "_delete_applied_rows", crash)
    with pytest.raises(SystemExit):
        publish(slug="twice", title="Indexed twice")
    assert [row.slug for row in outbox_rows()] == ["twice"]
    monkeypatch.undo()
    assert apply_pending_changes() == 1
    assert found("twice") == ["twice"] and outbox_rows() == []
    with open_index().searcher() as searcher:
        assert searcher.doc_count() == 1


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
        assert drain_pending(timeout=0.2) == 0
        assert len(outbox_rows()) == 1
    finally:
        release.set()
        holder.join()
    writer = open_index().writer()  # Whoosh's own lock, held by someone else
    try:
        assert drain_pending(timeout=0.2) == 0
    finally:
        writer.cancel()
    assert drain_pending() == 1 and outbox_rows() == []
    # The row said "delete" but the case study is still published: a drain indexes the
    # current state, never a stale instruction.
    assert found("waiting") == ["busy"]
    assert check_against_database().in_sync


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
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
    results = search_case_studies("parallel", {}, 1, 50, "relevance")
    assert results.total == 16
    assert check_against_database().in_sync


@pytest.mark.multiprocess
def test_a_process_killed_mid_drain_loses_nothing(app, database_url):
    case_study = CaseStudy(slug="orphan", title="Killed", status="draft")
    db.session.add(case_study)
    db.session.commit()
    publish(slug="survivor", title="Survives a killed drain")
    enqueue_index_change(db.session.get(CaseStudy, case_study.id), "upsert")
    enqueue_index_change(db.session.scalar(select(CaseStudy).where(CaseStudy.slug == "survivor")),
                         "upsert")
    db.session.commit()
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=workers.crash_after_index_commit,
                              args=(database_url, str(app.config["DATA_DIR"])))
    process.start()
    process.join(120)
    assert process.exitcode == 17
    assert len(outbox_rows()) == 2
    assert apply_pending_changes() == 2
    assert found("survives") == ["survivor"] and outbox_rows() == []
