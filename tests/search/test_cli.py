"""`flask search reindex|check|drain`."""
from sqlalchemy import select

from app.archive.models import CaseStudy
from app.extensions import db
from app.search.indexer import index_records
from app.search.services import enqueue_index_change, index_lag, search_case_studies

from .factories import make_record
from .test_change_log import publish


def test_reindex_rebuilds_from_the_database_with_a_progress_bar(app, runner):
    publish(slug="one", title="First museum")
    publish(slug="two", title="Second museum")
    index_records([make_record(slug="stray", title="Stray museum")])  # not in the database
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexing case studies" in result.output and "Indexed 2" in result.output
    assert search_case_studies("museum", {}, 1, 20, "relevance").total == 2


def test_check_reports_missing_stale_and_extra_and_exits_non_zero(app, runner):
    publish(slug="fine", title="In sync")
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    stale = publish(slug="stale", title="Old title")
    publish(slug="missing", title="Never indexed")
    index_records([make_record(slug="extra", title="Not published"),
                   make_record(id=stale.id, slug="stale", title="Different title"),
                   make_record(slug="fine", title="Changed behind our back")])
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "missing: 1  missing" in result.output
    assert "stale: 2" in result.output and "extra: 1  extra" in result.output
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_drain_applies_the_log_entries_the_index_lacks(app, runner):
    case_study = publish(slug="pending", title="Pending change")
    index_records([])
    enqueue_index_change(case_study, "upsert")
    db.session.commit()
    result = runner.invoke(args=["search", "drain"])
    assert result.exit_code == 0 and "Applied 1" in result.output
    assert index_lag() == 0 and "lag 0" in result.output
    assert search_case_studies("pending", {}, 1, 20, "relevance").total == 1
    assert db.session.scalar(select(CaseStudy.slug)) == "pending"
