"""The demo loader gives every project a scan, a photo with two versions and a PDF, once."""
from sqlalchemy import select

from app.extensions import db
from app.files.demo import load_demo
from app.files.models import ProjectFile
from tests.factories import make_project, make_user


def test_demo_files_are_loaded_once_with_thumbnails_and_pdf_text(app):
    project = make_project(lead=make_user(), title="Weaving the Past")
    make_project()  # a project without members is skipped
    assert load_demo().startswith("3 files")
    assert load_demo().startswith("0 files")
    items = {item.name: item for item in db.session.execute(
        select(ProjectFile).where(ProjectFile.project_id == project.id)).scalars()}
    assert set(items) == {"textile-scan.png", "gallery-view.jpg", "conservation-report.pdf"}
    assert items["textile-scan.png"].current_version.thumbnail_blob_id is not None
    assert items["gallery-view.jpg"].version_count == 2
    text = items["conservation-report.pdf"].current_version.extracted_text
    assert "Weaving the Past" in text and "acid-free boxes" in text
