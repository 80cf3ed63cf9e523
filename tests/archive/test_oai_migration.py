"""Migration 0011 gives the archive it finds its harvesting trace: a record for each public case
study (dated by its publication), a deleted record for each withdrawn one (dated by the
withdrawal, in the sets of its last public version), nothing for drafts."""
from datetime import datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.databases import temporary_database_url

STUDIES = sa.table(
    "case_studies", *(sa.column(name) for name in (
        "id", "slug", "status", "language", "title", "summary", "budget_range", "license",
        "contact", "review_comment", "published_revision_id", "published_at",
        "first_published_at", "created_at", "updated_at")),
    *(sa.column(name, sa.JSON) for name in ("sections", "technologies", "areas", "impact")))
REVISIONS = sa.table("case_study_revisions", sa.column("id"), sa.column("case_study_id"),
                     sa.column("number"), sa.column("note"), sa.column("created_at"),
                     sa.column("snapshot", sa.JSON))
REVIEWS = sa.table("case_study_reviews", sa.column("case_study_id"), sa.column("decision"),
                   sa.column("comment"), sa.column("revision_id"), sa.column("created_at"))


def _study(n: int, slug: str, **fields) -> dict:
    return {"id": n, "slug": slug, "status": "draft", "language": "en", "title": slug,
            "summary": "", "budget_range": "unknown", "license": "CC-BY-4.0", "contact": "",
            "review_comment": "", "published_revision_id": None, "published_at": None,
            "first_published_at": None, "created_at": datetime(2024, 1, 1),
            "updated_at": datetime(2024, 6, 1), "sections": {}, "technologies": [],
            "areas": [], "impact": {}, **fields}


def test_upgrade_records_public_and_withdrawn_case_studies(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    snapshot = {"areas": ["ar-vr"], "language": "pl", "lead": {"country": "pl"}}
    with temporary_database_url(tmp_path, "oai_backfill") as url:
        app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="0010")
            with db.engine.begin() as connection:
                connection.execute(sa.insert(STUDIES), [
                    _study(1, "public", status="published", published_revision_id=11,
                           published_at=datetime(2024, 3, 1, 9, 30, 15, 500000),
                           first_published_at=datetime(2024, 2, 1)),
                    _study(2, "withdrawn", status="draft",
                           first_published_at=datetime(2024, 2, 1)),
                    _study(3, "draft")])
                connection.execute(sa.insert(REVISIONS), [
                    {"id": 11, "case_study_id": 1, "number": 1, "note": "",
                     "created_at": datetime(2024, 1, 1), "snapshot": {"language": "en"}},
                    {"id": 21, "case_study_id": 2, "number": 1, "note": "",
                     "created_at": datetime(2024, 1, 1), "snapshot": snapshot}])
                connection.execute(sa.insert(REVIEWS), [
                    {"case_study_id": 2, "decision": "published", "comment": "",
                     "revision_id": 21, "created_at": datetime(2024, 2, 1)},
                    {"case_study_id": 2, "decision": "withdrawn", "comment": "",
                     "revision_id": 21, "created_at": datetime(2024, 4, 2, 8, 0, 0)}])
            upgrade()
            with db.engine.connect() as connection:
                records = connection.execute(sa.text(
                    "SELECT slug, datestamp, deleted FROM oai_records ORDER BY slug")).all()
                sets = connection.execute(sa.text(
                    "SELECT case_study_id, spec FROM oai_record_sets "
                    "ORDER BY case_study_id, spec")).all()
            db.engine.dispose()
    assert [(slug, str(moment)[:19], bool(deleted)) for slug, moment, deleted in records] == [
        ("public", "2024-03-01 09:30:15", False), ("withdrawn", "2024-04-02 08:00:00", True)]
    assert [tuple(row) for row in sets] == [
        (1, "language:en"), (2, "area:ar-vr"), (2, "country:PL"), (2, "language:pl")]
