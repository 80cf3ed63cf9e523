"""Uploads are judged by their content; hostile names, types, sizes and images are refused."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.files.models import Blob, FileVersion, ProjectFile
from app.core.blobstore import blob_store
from app.files.storage import sanitise_filename

from . import samples
from .conftest import upload


def files_in(project):
    return db.session.execute(
        select(ProjectFile).where(ProjectFile.project_id == project.id)
    ).scalars().all()


def only_file(project) -> ProjectFile:
    items = files_in(project)
    assert len(items) == 1
    return items[0]


def test_member_uploads_an_image_and_gets_a_thumbnail(team, member_client):
    project, people = team
    response = upload(member_client, project, samples.png(640, 480), "scan.png", "Front side")
    assert response.status_code == 302
    item = only_file(project)
    version = item.current_version
    assert (item.name, item.description, version.number) == ("scan.png", "Front side", 1)
    assert (version.blob.mime, version.blob.kind) == ("image/png", "image")
    assert (version.width, version.height) == (640, 480)
    assert version.thumbnail_blob.mime in ("image/webp", "image/png")
    assert blob_store().size(version.blob.sha256) == version.blob.size
    assert blob_store().size(version.thumbnail_blob.sha256) == version.thumbnail_blob.size
    assert item.uploaded_by_id == people["member"].id


@pytest.mark.parametrize("raw, expected", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system.ini", "system.ini"),
    ("re\x00port.pdf", "report.pdf"),
    ("tab\tand\nnewline.txt", "tabandnewline.txt"),
    ("..", "file"),
    ("", "file"),
    (None, "file"),
    ("   .hidden", "hidden"),
    ("a..b....png", "a.b.png"),
])
def test_names_are_sanitised(raw, expected):
    assert sanitise_filename(raw) == expected


def test_long_names_are_cut_to_200_keeping_the_extension():
    name = sanitise_filename("x" * 500 + ".tiff")
    assert len(name) == 200 and name.endswith(".tiff")
    assert len(sanitise_filename("y" * 500)) == 200


def test_path_traversal_name_is_stored_as_a_plain_name(team, member_client, uploads_dir):
    project, _ = team
    assert upload(member_client, project, b"root:x:0:0\n", "../../etc/passwd").status_code == 302
    item = only_file(project)
    assert item.name == "passwd"
    assert [blob.sha256 for blob in blob_store().blobs()] == [item.current_version.blob.sha256]
    assert list((uploads_dir / "tmp").iterdir()) == []


def test_name_with_nul_and_a_500_character_name_are_accepted_safely(team, member_client):
    project, _ = team
    assert upload(member_client, project, b"hello", "a\x00b.txt").status_code == 302
    assert upload(member_client, project, b"hello again", "n" * 500 + ".txt").status_code == 302
    names = sorted(item.name for item in files_in(project))
    assert "ab.txt" in names or "b.txt" in names  # Werkzeug may cut at the NUL itself
    assert any(len(name) == 200 and name.endswith(".txt") for name in names)
    assert all("\x00" not in name for name in names)


def test_html_renamed_png_is_refused(team, member_client):
    project, _ = team
    response = upload(member_client, project, samples.HTML, "cute-cat.png")
    assert response.status_code == 400
    assert "HTML" in response.get_data(as_text=True)
    assert files_in(project) == []


def test_svg_with_a_script_is_refused(team, member_client):
    project, _ = team
    response = upload(member_client, project, samples.SVG, "logo.svg")
    assert response.status_code == 400
    assert files_in(project) == []


def test_unknown_binary_is_refused_with_a_readable_message(team, member_client):
    project, _ = team
    response = upload(member_client, project, b"MZ\x90\x00\x03" + bytes(range(256)), "tool.exe")
    assert response.status_code == 400
    assert "not accepted" in response.get_data(as_text=True)


def test_empty_file_is_refused(team, member_client):
    project, _ = team
    response = upload(member_client, project, b"", "empty.txt")
    assert response.status_code == 400
    assert "empty" in response.get_data(as_text=True)
    assert files_in(project) == []


def test_oversize_file_gets_413_and_leaves_nothing(app, team, member_client, uploads_dir):
    project, _ = team
    app.config["MAX_UPLOAD_MB"] = 1
    response = upload(member_client, project, b"a" * (1024 * 1024 + 1), "big.txt")
    assert response.status_code == 413
    assert "1 MB" in response.get_data(as_text=True)
    assert files_in(project) == []
    assert list((uploads_dir / "tmp").iterdir()) == []


def test_body_above_max_content_length_gets_a_readable_413(app, team, member_client):
    project, _ = team
    app.config["MAX_CONTENT_LENGTH"] = 2048
    response = upload(member_client, project, b"a" * 4096, "big.txt")
    assert response.status_code == 413
    assert "larger than the allowed maximum" in response.get_data(as_text=True)


def test_project_quota_is_enforced(app, team, member_client):
    project, _ = team
    app.config["PROJECT_QUOTA_MB"] = 1
    assert upload(member_client, project, b"a" * 700_000, "one.txt").status_code == 302
    response = upload(member_client, project, b"b" * 700_000, "two.txt")
    assert response.status_code == 413
    assert "quota" in response.get_data(as_text=True)
    assert len(files_in(project)) == 1


def test_decompression_bomb_png_is_refused(team, member_client):
    project, _ = team
    data = samples.bomb_png()
    assert len(data) < 20_000
    response = upload(member_client, project, data, "bomb.png")
    assert response.status_code == 400
    assert "too large to process" in response.get_data(as_text=True)
    assert files_in(project) == []


@pytest.mark.parametrize("data", [samples.corrupt_png(), samples.truncated_png()],
                         ids=["corrupt", "truncated"])
def test_corrupt_or_truncated_png_is_refused(team, member_client, data):
    project, _ = team
    response = upload(member_client, project, data, "broken.png")
    assert response.status_code == 400
    assert "damaged" in response.get_data(as_text=True)
    assert files_in(project) == []


@pytest.mark.parametrize("data, name, mime, kind", [
    (samples.jpeg(), "photo.jpg", "image/jpeg", "image"),
    (samples.pdf(), "report.pdf", "application/pdf", "pdf"),
    (samples.docx(), "plan.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document"),
    (samples.glb(), "vase.glb", "model/gltf-binary", "model"),
    (samples.GLTF, "vase.gltf", "model/gltf+json", "model"),
    (samples.OBJ, "cube.obj", "model/obj", "model"),
    (samples.PLY, "scan.ply", "application/x-ply", "model"),
    (samples.binary_stl(), "part.stl", "model/stl", "model"),
    (samples.ASCII_STL, "part2.stl", "model/stl", "model"),
    (samples.MP4, "tour.mp4", "video/mp4", "video"),
    (samples.WEBM, "clip.webm", "video/webm", "video"),
    (samples.WAV, "guide.wav", "audio/wav", "audio"),
    (samples.OGG, "guide.ogg", "audio/ogg", "audio"),
    (samples.MP3, "guide.mp3", "audio/mpeg", "audio"),
    (b"id,name\n1,vase\n", "objects.csv", "text/csv", "text"),
    (b"# Notes\n\nSome *text*.\n", "notes.md", "text/markdown", "text"),
    (b"plain words\n", "readme", "text/plain", "text"),
], ids=lambda value: value if isinstance(value, str) and "/" not in value and "." in value else "")
def test_types_come_from_the_content(team, member_client, data, name, mime, kind):
    project, _ = team
    assert upload(member_client, project, data, name).status_code == 302
    blob = only_file(project).current_version.blob
    assert (blob.mime, blob.kind) == (mime, kind)


def test_a_png_named_pdf_is_stored_as_an_image(team, member_client):
    project, _ = team
    assert upload(member_client, project, samples.png(), "report.pdf").status_code == 302
    assert only_file(project).current_version.blob.mime == "image/png"


def test_pdf_text_is_extracted(team, member_client):
    project, _ = team
    upload(member_client, project, samples.pdf("Tapestry cleaning notes"), "notes.pdf")
    assert "Tapestry cleaning notes" in only_file(project).current_version.extracted_text


def test_a_broken_pdf_is_kept_without_text(team, member_client):
    project, _ = team
    response = upload(member_client, project, b"%PDF-1.7\n" + b"garbage " * 200, "broken.pdf")
    assert response.status_code == 302
    version = only_file(project).current_version
    assert version.blob.mime == "application/pdf" and not version.extracted_text


def test_same_bytes_twice_are_stored_once(team, member_client):
    project, _ = team
    data = samples.png(32, 32)
    upload(member_client, project, data, "a.png")
    upload(member_client, project, data, "b.png")
    assert len(files_in(project)) == 2
    # one blob for the image, one for its (shared) thumbnail
    assert db.session.execute(select(func.count()).select_from(Blob)).scalar_one() == 2
    assert len(list(blob_store().blobs())) == 2


def test_new_versions_are_numbered_and_the_latest_is_current(team, member_client, app):
    project, people = team
    upload(member_client, project, samples.png(10, 10), "logo.png")
    item = only_file(project)
    url = f"/projects/{project.slug}/files/{item.id}/versions"
    assert upload(member_client, project, samples.png(20, 20), "logo-v2.png",
                  url=url).status_code == 302
    db.session.refresh(item)
    assert [v.number for v in item.versions] == [2, 1]
    assert item.current_version.number == 2 and item.current_version.width == 20
    assert item.name == "logo.png" and item.current_version.original_name == "logo-v2.png"
    assert db.session.execute(select(func.count()).select_from(FileVersion)).scalar_one() == 2


def test_a_refused_new_version_keeps_the_old_one(team, member_client):
    project, _ = team
    upload(member_client, project, samples.png(), "logo.png")
    item = only_file(project)
    response = upload(member_client, project, samples.HTML, "logo.png",
                      url=f"/projects/{project.slug}/files/{item.id}/versions")
    assert response.status_code == 400
    db.session.refresh(item)
    assert item.version_count == 1 and item.current_version.number == 1


def test_uploads_are_rate_limited_per_user(app, team, member_client):
    project, _ = team
    app.config["UPLOAD_RATE_LIMIT"] = "2/minute"
    codes = [upload(member_client, project, f"text {n}".encode(), "n.txt").status_code
             for n in range(3)]
    assert codes == [302, 302, 429]


def test_upload_records_activity(team, member_client):
    from app.projects.models import Activity

    project, _ = team
    upload(member_client, project, b"hello", "hello.txt")
    verbs = db.session.execute(select(Activity.verb).where(Activity.project_id == project.id))
    assert list(verbs.scalars()) == ["file.uploaded"]
