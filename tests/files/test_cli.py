"""`flask files usage|verify|cleanup` for operators."""
import os
from io import BytesIO

from app.files import services, storage

from . import samples


def test_usage_lists_projects_with_files(runner, team):
    project, people = team
    services.upload_file(project, people["member"], BytesIO(b"x" * 2048), "a.txt")
    result = runner.invoke(args=["files", "usage"])
    assert result.exit_code == 0 and project.slug in result.output and "1 files" in result.output


def test_verify_reports_missing_and_damaged_blobs(runner, team):
    project, people = team
    item = services.upload_file(project, people["member"], BytesIO(samples.png()), "a.png")
    assert runner.invoke(args=["files", "verify", "--hash"]).exit_code == 0
    path = storage.blob_path(item.current_version.blob.sha256)
    path.write_bytes(b"y" * item.current_version.blob.size)
    result = runner.invoke(args=["files", "verify", "--hash"])
    assert result.exit_code == 1 and "corrupt" in result.output
    path.unlink()
    assert "missing" in runner.invoke(args=["files", "verify"]).output


def test_cleanup_removes_stale_temp_files_and_orphans_only(runner, team, uploads_dir):
    project, people = team
    item = services.upload_file(project, people["member"], BytesIO(b"keep me"), "k.txt")
    kept = storage.blob_path(item.current_version.blob.sha256)
    stale = uploads_dir / "tmp" / "upload-stale"
    stale.write_bytes(b"half an upload")
    orphan = storage.blob_path("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"orphan")
    for path in (stale, orphan, kept):
        os.utime(path, (1, 1))
    result = runner.invoke(args=["files", "cleanup", "--older-than", "5"])
    assert "Removed 2 file(s)" in result.output
    assert kept.exists() and not stale.exists() and not orphan.exists()
