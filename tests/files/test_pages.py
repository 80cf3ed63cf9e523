"""The files pages: list, file page, rename, delete and restore, and their SQL budget."""
from sqlalchemy import event, select

from app.extensions import db
from app.files.models import ProjectFile
from tests.conftest import client_for

from . import samples
from .conftest import upload


def first_file(project) -> ProjectFile:
    return db.session.execute(
        select(ProjectFile).where(ProjectFile.project_id == project.id)).scalars().first()


def test_list_shows_name_type_size_uploader_and_thumbnail(team, member_client):
    project, people = team
    upload(member_client, project, samples.png(), "textile-scan.png", "Warp and weft")
    page = member_client.get(f"/projects/{project.slug}/files/").get_data(as_text=True)
    item = first_file(project)
    assert "textile-scan.png" in page and "Warp and weft" in page
    assert people["member"].name in page and "Image" in page
    assert f"/files/{item.id}/thumbnail" in page
    assert 'enctype="multipart/form-data"' in page and '<label for="file"' in page


def test_observer_sees_files_but_no_upload_form(app, team, member_client):
    project, people = team
    upload(member_client, project, b"notes", "notes.txt")
    page = client_for(app, people["observer"]).get(f"/projects/{project.slug}/files/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "notes.txt" in text and "multipart/form-data" not in text


def test_file_page_shows_preview_versions_and_pdf_text(team, member_client):
    project, _ = team
    upload(member_client, project, samples.pdf("Loom restoration log"), "log.pdf")
    item = first_file(project)
    page = member_client.get(f"/projects/{project.slug}/files/{item.id}").get_data(as_text=True)
    assert "<h1" in page and "log.pdf" in page
    assert "Loom restoration log" in page and "Open the PDF" in page
    assert "Download version 1" in page


def test_rename_and_describe(team, member_client):
    project, _ = team
    upload(member_client, project, b"notes", "notes.txt")
    item = first_file(project)
    response = member_client.post(f"/projects/{project.slug}/files/{item.id}/rename",
                                  data={"name": "../meeting notes.txt", "description": "Day 1"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.name, item.description) == ("meeting notes.txt", "Day 1")


def test_member_deletes_and_only_the_lead_restores(app, team, member_client):
    project, people = team
    upload(member_client, project, b"notes", "notes.txt")
    item = first_file(project)
    base = f"/projects/{project.slug}/files/{item.id}"
    assert member_client.post(base + "/delete").status_code == 302
    db.session.refresh(item)
    assert item.is_deleted
    listing = member_client.get(f"/projects/{project.slug}/files/").get_data(as_text=True)
    assert f'href="{base}"' not in listing
    assert member_client.get(base).status_code == 404
    assert member_client.get(base + "/download").status_code == 404
    assert member_client.post(base + "/restore").status_code == 403
    lead = client_for(app, people["lead"])
    deleted = lead.get(f"/projects/{project.slug}/files/?deleted=1").get_data(as_text=True)
    assert f'href="{base}"' in deleted
    assert "Restore file" in lead.get(base).get_data(as_text=True)
    assert lead.post(base + "/restore").status_code == 302
    db.session.refresh(item)
    assert not item.is_deleted
    assert member_client.get(base + "/download").status_code == 200


def count_statements(client, url) -> int:
    statements = []

    def record(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_list_page_statement_count_does_not_grow_with_files(app, team, member_client):
    project, people = team
    upload(member_client, project, samples.png(8, 8), "one.png")
    few = count_statements(member_client, f"/projects/{project.slug}/files/")
    lead = client_for(app, people["lead"])
    for n in range(12):
        upload(lead if n % 2 else member_client, project, samples.png(8 + n, 8), f"scan-{n}.png")
    many = count_statements(member_client, f"/projects/{project.slug}/files/")
    assert many == few, (few, many)
    assert many <= 12  # user, project (+3 selectin), role, count, rows, usage, badges


def test_file_page_statement_count_does_not_grow_with_versions(team, member_client):
    project, _ = team
    upload(member_client, project, samples.png(8, 8), "one.png")
    item = first_file(project)
    url = f"/projects/{project.slug}/files/{item.id}"
    few = count_statements(member_client, url)
    for n in range(6):
        upload(member_client, project, samples.png(9 + n, 8), "one.png", url=url + "/versions")
    assert count_statements(member_client, url) == few


def test_list_filters_by_kind_and_name(team, member_client):
    project, _ = team
    upload(member_client, project, samples.png(), "Loom_detail.png")
    upload(member_client, project, samples.pdf(), "loom-report.pdf")
    upload(member_client, project, b"notes", "other.txt")
    url = f"/projects/{project.slug}/files/"

    def names(query):
        page = member_client.get(url + query).get_data(as_text=True)
        return sorted(n for n in ("Loom_detail.png", "loom-report.pdf", "other.txt")
                      if f">{n}</a>" in page)

    assert names("?kind=image") == ["Loom_detail.png"]
    assert names("?q=LOOM") == ["Loom_detail.png", "loom-report.pdf"]
    assert names("?q=m_d") == ["Loom_detail.png"]  # "_" is a literal, not a wildcard
    assert names("?q=%25") == []
    assert names("?kind=nonsense") == ["Loom_detail.png", "loom-report.pdf", "other.txt"]
