"""Downloads: inline only for images and PDF, attachments otherwise, always nosniff+sandbox."""
from sqlalchemy import select

from app.extensions import db
from app.files.models import ProjectFile

from . import samples
from .conftest import upload


def uploaded(client, project, data, name):
    assert upload(client, project, data, name).status_code == 302
    return db.session.execute(
        select(ProjectFile).where(ProjectFile.project_id == project.id)
        .order_by(ProjectFile.id.desc())
    ).scalars().first()


def assert_locked_down(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in response.headers["Cache-Control"]


def test_png_is_served_inline_as_png(team, member_client):
    project, _ = team
    data = samples.png()
    item = uploaded(member_client, project, data, "scan.png")
    response = member_client.get(f"/projects/{project.slug}/files/{item.id}/download")
    assert response.status_code == 200 and response.data == data
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert_locked_down(response)


def test_pdf_is_served_inline(team, member_client):
    project, _ = team
    item = uploaded(member_client, project, samples.pdf(), "report.pdf")
    response = member_client.get(f"/projects/{project.slug}/files/{item.id}/download")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert_locked_down(response)


def test_models_and_text_are_attachments_with_the_sniffed_type(team, member_client):
    project, _ = team
    glb = uploaded(member_client, project, samples.glb(), "vase.glb")
    text = uploaded(member_client, project, b"just words", "page.html")
    response = member_client.get(f"/projects/{project.slug}/files/{glb.id}/download")
    assert response.mimetype == "model/gltf-binary"
    assert response.headers["Content-Disposition"] == "attachment; filename=vase.glb"
    response = member_client.get(f"/projects/{project.slug}/files/{text.id}/download")
    assert response.mimetype == "text/plain"
    # saved with an extension matching the real type, never as .html
    assert response.headers["Content-Disposition"] == "attachment; filename=page.html.txt"
    assert_locked_down(response)


def test_non_ascii_names_use_an_rfc5987_filename(team, member_client):
    project, _ = team
    item = uploaded(member_client, project, samples.glb(), "Vaso étrusco \"antico\"; v2.glb")
    disposition = member_client.get(
        f"/projects/{project.slug}/files/{item.id}/download").headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Vaso%20%C3%A9trusco" in disposition
    assert "\n" not in disposition and "\r" not in disposition


def test_older_versions_can_be_downloaded(team, member_client):
    project, _ = team
    first, second = samples.png(10, 10), samples.png(20, 20)
    item = uploaded(member_client, project, first, "logo.png")
    upload(member_client, project, second, "logo.png",
           url=f"/projects/{project.slug}/files/{item.id}/versions")
    base = f"/projects/{project.slug}/files/{item.id}/download"
    assert member_client.get(base).data == second
    assert member_client.get(base + "?version=1").data == first
    assert member_client.get(base + "?version=3").status_code == 404
    assert member_client.get(base + "?version=abc").status_code == 404
    assert member_client.get(base + "?version=99999999999999999999").status_code == 404
    too_big = f"/projects/{project.slug}/files/99999999999999999999"
    assert member_client.get(too_big).status_code == 404
    assert member_client.get(f"/api/v1/projects/{project.slug}/files/{2**40}").status_code == 404


def test_downloads_answer_conditional_requests(team, member_client):
    project, _ = team
    item = uploaded(member_client, project, samples.png(), "scan.png")
    url = f"/projects/{project.slug}/files/{item.id}/download"
    etag = member_client.get(url).headers["ETag"]
    assert member_client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_thumbnail_is_a_small_image(team, member_client):
    from io import BytesIO

    from PIL import Image

    project, _ = team
    item = uploaded(member_client, project, samples.png(1200, 600), "wide.png")
    response = member_client.get(f"/projects/{project.slug}/files/{item.id}/thumbnail")
    assert response.status_code == 200 and response.mimetype in ("image/webp", "image/png")
    assert_locked_down(response)
    with Image.open(BytesIO(response.data)) as image:
        assert image.size == (320, 160)


def test_files_without_a_thumbnail_answer_404(team, member_client):
    project, _ = team
    item = uploaded(member_client, project, samples.pdf(), "report.pdf")
    assert member_client.get(
        f"/projects/{project.slug}/files/{item.id}/thumbnail").status_code == 404
