"""`flask files usage|verify|cleanup` for operators, on both blob stores."""
import os
import time
from io import BytesIO

from app.core.blobstore import blob_store
from app.files import services, storage

from . import samples


def put_blob(sha256: str, data: bytes) -> None:
    """Write bytes straight into the store under any name (damage, orphans)."""
    spooled = storage.temp_dir() / f"put-{sha256[:8]}"
    spooled.write_bytes(data)
    blob_store().delete(sha256)
    blob_store().put(sha256, spooled)


def test_usage_lists_projects_with_files(runner, team):
    project, people = team
    services.upload_file(project, people["member"], BytesIO(b"x" * 2048), "a.txt")
    result = runner.invoke(args=["files", "usage"])
    assert result.exit_code == 0 and project.slug in result.output and "1 files" in result.output


def test_verify_reports_missing_and_damaged_blobs(runner, team):
    project, people = team
    item = services.upload_file(project, people["member"], BytesIO(samples.png()), "a.png")
    assert runner.invoke(args=["files", "verify", "--hash"]).exit_code == 0
    blob = item.current_version.blob
    put_blob(blob.sha256, b"y" * blob.size)
    result = runner.invoke(args=["files", "verify", "--hash"])
    assert result.exit_code == 1 and "corrupt" in result.output
    assert "corrupt" not in runner.invoke(args=["files", "verify"]).output  # same size
    put_blob(blob.sha256, b"y")
    assert "size" in runner.invoke(args=["files", "verify"]).output
    blob_store().delete(blob.sha256)
    result = runner.invoke(args=["files", "verify"])
    assert result.exit_code == 1 and f"missing   {blob.sha256}" in result.output


def test_cleanup_removes_stale_temp_files_and_orphans_only(runner, team, blob_backend):
    project, people = team
    item = services.upload_file(project, people["member"], BytesIO(b"keep me"), "k.txt")
    kept = item.current_version.blob.sha256
    stale = storage.temp_dir() / "upload-stale"
    stale.write_bytes(b"half an upload")
    os.utime(stale, (1, 1))
    put_blob("ab" * 32, b"orphan")
    if blob_backend == "local":
        for sha256 in (kept, "ab" * 32):
            os.utime(blob_store().path(sha256), (1, 1))
        older_than = 5
    else:  # S3 keeps its own modification times: count everything up to now as old
        time.sleep(0.01)
        older_than = 0
    assert "Would remove 2 file(s)" in runner.invoke(
        args=["files", "cleanup", "--older-than", str(older_than), "--dry-run"]).output
    result = runner.invoke(args=["files", "cleanup", "--older-than", str(older_than)])
    assert "Removed 2 file(s)" in result.output
    assert blob_store().size(kept) == 7 and blob_store().size("ab" * 32) is None
    assert not stale.exists()
