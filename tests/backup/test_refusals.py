"""Bad input to `backup create` / `backup restore` is a clear error and writes nothing: a missing
folder, a damaged manifest, table file or blob, a target that is not empty. Also the value
encoding for types the schema does not use yet (decimals, bytes, times)."""
import datetime
import decimal
import hashlib
import json
from io import BytesIO

import pytest
from sqlalchemy import Column, LargeBinary, MetaData, Numeric, Table, Time, select

from app.backup.records import decoder_for, dump_row
from app.core.blobstore import blob_store, key_of
from app.extensions import db
from app.files import services as files
from app.files.models import Blob
from app.policy import can
from tests.conftest import _empty_all_tables
from tests.factories import make_team, make_user


@pytest.fixture
def backup(app, runner, tmp_path):
    """A backup of a small installation, after which the installation is emptied (rows and
    blobs): ready for a restore."""
    project, people = make_team()
    files.upload_file(project, people["member"], BytesIO(b"first file"), "a.txt")
    files.upload_file(project, people["member"], BytesIO(b"second file"), "b.txt")
    result = runner.invoke(args=["backup", "create", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    for item in list(blob_store().blobs()):
        blob_store().delete(item.sha256)
    _empty_all_tables()
    return tmp_path / "backup"


def nothing_restored():
    return (db.session.execute(select(Blob)).first() is None
            and list(blob_store().blobs()) == [])


def test_the_backup_restores_into_the_emptied_installation(runner, backup):
    result = runner.invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and len(list(blob_store().blobs())) == 2


def test_a_missing_folder_is_refused(runner, tmp_path):
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "There is no backup folder" in result.output


@pytest.mark.parametrize("manifest", [b"{not json", b"[]", b'{"format": "other"}',
                                      b'{"format": "museum-space-backup", "version": 1}'])
def test_a_damaged_manifest_is_refused_before_anything_is_written(runner, backup, manifest):
    (backup / "manifest.json").write_bytes(manifest)
    result = runner.invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 1 and "damaged manifest" in result.output
    assert nothing_restored()


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(runner, backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"][0]["file"] = "../../etc/passwd"
    (backup / "manifest.json").write_text(json.dumps(manifest))
    result = runner.invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 1 and "damaged manifest" in result.output


def test_a_damaged_table_file_is_refused_before_anything_is_written(runner, backup):
    path = backup / "tables" / "users.jsonl"
    path.write_text(path.read_text().replace("@", "#", 1))
    result = runner.invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 1 and "tables/users.jsonl is missing or damaged" in result.output
    assert nothing_restored()


def test_a_damaged_blob_is_refused_and_the_blobs_already_copied_are_removed(runner, backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    last = manifest["blobs"][-1]["sha256"]
    (backup / "blobs" / key_of(last)).write_bytes(b"not what was stored")
    result = runner.invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 1 and "is missing or damaged" in result.output
    assert nothing_restored()


def test_rows_the_database_refuses_leave_nothing_behind(runner, backup):
    """A file that matches its manifest but holds a row twice: the load fails in the middle,
    and the rows of the tables before it are rolled back with it."""
    manifest = json.loads((backup / "manifest.json").read_text())
    path = backup / "tables" / "projects.jsonl"
    path.write_text(path.read_text() * 2)
    entry = next(t for t in manifest["tables"] if t["name"] == "projects")
    entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))
    result = runner.invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 1 and "The table projects could not be restored" in result.output
    assert nothing_restored()
    assert db.session.execute(select(db.metadata.tables["users"])).first() is None


def test_a_target_with_data_is_refused(runner, backup):
    make_user()
    result = runner.invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 1 and "not empty (the table users has rows)" in result.output
    assert list(blob_store().blobs()) == []


def test_create_refuses_a_folder_that_is_not_empty_and_leaves_no_partial_folder(app, runner,
                                                                                tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "something").write_text("mine")
    result = runner.invoke(args=["backup", "create", str(target)])
    assert result.exit_code == 1 and "is not an empty folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_create_refuses_when_a_stored_blob_is_missing(app, runner, tmp_path):
    project, people = make_team()
    item = files.upload_file(project, people["member"], BytesIO(b"will vanish"), "v.txt")
    blob_store().delete(item.current_version.blob.sha256)
    result = runner.invoke(args=["backup", "create", str(tmp_path / "b")])
    assert result.exit_code == 1 and "files verify" in result.output
    assert not (tmp_path / "b").exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".b.partial")] == []


def test_values_of_every_type_come_back_exactly():
    table = Table("t", MetaData(), Column("price", Numeric(12, 4)), Column("raw", LargeBinary),
                  Column("at", Time))
    row = {"price": decimal.Decimal("12345678.0001"), "raw": b"\x00\xff binary",
           "at": datetime.time(23, 59, 58, 123456)}
    line = json.loads(dump_row(row))
    assert {name: decoder_for(table.c[name])(value) for name, value in line.items()} == row


def test_only_administrators_may_back_up_or_restore(app):
    assert can(make_user(admin=True), "site.backup")
    assert not can(make_user(), "site.backup")
    assert not can(None, "site.backup")


def test_a_backup_of_another_schema_revision_is_refused(runner, backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["schema_revision"] = "0001"
    (backup / "manifest.json").write_text(json.dumps(manifest))
    result = runner.invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 1 and "schema revision 0001" in result.output
    assert nothing_restored()
