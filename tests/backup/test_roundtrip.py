"""`flask backup create` then `backup restore` into a new installation gives back every row of
every table and every blob: on SQLite, and on PostgreSQL under `make test-postgres`
(TEST_DATABASE_URL). Both installations are built by `flask db upgrade`, as in production; the
source keeps its blobs in a local folder, the target in S3 (moto's server)."""
import hashlib
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from app import create_app
from app.core.blobstore import blob_store
from app.extensions import db
from tests.databases import temporary_database_url
from app.search import services as search
from app.search.services import apply_pending_changes, search_case_studies
from tests.factories import make_user
from tests.s3 import s3_settings
from tests.search.test_change_log import publish

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def upgraded_installation(url: str, folder, **settings):
    """A new installation: `flask db upgrade` run for real on an empty database."""
    folder.mkdir()
    env = {**os.environ, "APP_ENV": "testing", "TEST_DATABASE_URL": url, "DATABASE_URL": url,
           "DATA_DIR": str(folder)}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env=env, check=True, capture_output=True, timeout=300)
    return create_app("testing", overrides={
        "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": folder / "uploads",
        "INDEX_DIR": folder / "index", **settings})


def every_row(app) -> dict:
    with app.app_context():
        rows = {table.name: [tuple(row) for row in db.session.execute(
            select(table).order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables}
        db.session.remove()
    return rows


def every_blob(app) -> dict:
    with app.app_context():
        store = blob_store()
        blobs = {}
        for item in store.blobs():
            with store.open(item.sha256) as handle:
                blobs[item.sha256] = hashlib.sha256(handle.read()).hexdigest()
    return blobs


@pytest.fixture
def two_installations(tmp_path, monkeypatch, s3_server):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    with temporary_database_url(tmp_path, "backup_source") as source_url, \
            temporary_database_url(tmp_path, "backup_target") as target_url:
        source = upgraded_installation(source_url, tmp_path / "source")
        target = upgraded_installation(target_url, tmp_path / "target", **s3_settings(s3_server))
        yield source, target
        for app in (source, target):
            with app.app_context():
                db.engine.dispose()


def test_a_backup_restores_every_row_and_every_blob_into_a_new_installation(two_installations,
                                                                           tmp_path):
    source, target = two_installations
    seeded = source.test_cli_runner().invoke(args=["seed", "demo"])
    assert seeded.exit_code == 0, seeded.output
    rows, blobs = every_row(source), every_blob(source)
    assert rows["file_blobs"] and rows["case_studies"] and rows["projects"] and rows["users"]
    assert len(blobs) == len(rows["file_blobs"])

    created = source.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "b")])
    assert created.exit_code == 0, created.output
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == {
        name: len(table_rows) for name, table_rows in rows.items()}
    assert manifest["schema_revision"]

    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output
    restored_rows = every_row(target)
    rebuild = restored_rows["search_changes"].pop()  # the restore told every machine to rebuild
    assert rebuild[1:4] == (0, "", "rebuild")
    assert restored_rows == rows
    assert every_blob(target) == blobs
    with target.app_context():
        report = search.check_index()
        assert report.in_sync and report.indexed == report.published > 0
        # sequences (PostgreSQL) were moved past the restored ids
        assert make_user().id > max(row[0] for row in rows["users"])
        db.session.remove()
    again = target.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "b")])
    assert again.exit_code == 1 and "not empty" in again.output


def found_on(machine) -> list[str]:
    with machine.app_context():
        try:
            return sorted(hit.slug for hit in search_case_studies("", {}, 1, 50).hits)
        finally:
            db.session.remove()


@pytest.mark.parametrize("lost, restored", [(3, 1), (1, 3)],
                         ids=["the-lost-log-was-longer", "the-restored-log-is-longer"])
def test_after_a_restore_every_other_machine_builds_its_index_again(
        two_installations, tmp_path, lost, restored):
    """Disaster recovery: the database is lost, last night's backup restored into a new one. A
    second machine's index still holds the lost database's case studies and a position in its
    log: it must rebuild from the restored database, not continue where it was."""
    source, target = two_installations
    with source.app_context():
        for n in range(restored):
            publish(slug=f"restored-{n}", title=f"Restored case {n}", language="en", country="IT")
        db.session.remove()
    created = source.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "b")])
    assert created.exit_code == 0, created.output

    other = create_app("testing", overrides={
        "SQLALCHEMY_DATABASE_URI": target.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_DIR": tmp_path / "other" / "uploads", "INDEX_DIR": tmp_path / "other" / "index"})
    with target.app_context():
        for n in range(lost):
            publish(slug=f"lost-{n}", title=f"Lost case {n}", language="en", country="FR")
        db.session.remove()
    with other.app_context():
        apply_pending_changes()  # what its follower does: it has followed the lost database
    assert found_on(other) == [f"lost-{n}" for n in range(lost)]

    with target.app_context():  # the database is lost: a new, empty one in its place
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    expected = [f"restored-{n}" for n in range(restored)]
    assert found_on(target) == expected
    with other.app_context():
        apply_pending_changes()
        assert search.index_lag() == 0
        db.session.remove()
        db.engine.dispose()
    assert found_on(other) == expected
