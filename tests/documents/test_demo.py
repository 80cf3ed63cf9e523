"""Demo documents: several revisions by different members in every project; idempotent."""
from sqlalchemy import func, select

from app.documents.demo import load_demo
from app.documents.models import Document, DocumentRevision
from app.extensions import db

from ..factories import make_project, make_user


def test_demo_documents_have_histories_by_several_people_and_load_once(app):
    lead, member, observer = make_user(), make_user(), make_user()
    project = make_project(lead=lead, members={"member": [member], "observer": [observer]},
                           areas=["3d-digitisation"])
    make_project(lead=None)  # a project without members is skipped
    summary = load_demo()
    assert "4 documents" in summary
    titles = set(db.session.execute(select(Document.title).where(
        Document.project_id == project.id)).scalars())
    assert titles == {"Project plan", "Meeting notes", "Kick-off meeting",
                      "Technical documentation"}
    plan = db.session.execute(select(Document).where(Document.title == "Project plan")).scalar_one()
    assert plan.revision_number == 4
    authors = set(db.session.execute(select(DocumentRevision.author_id).where(
        DocumentRevision.document_id == plan.id)).scalars())
    assert authors == {lead.id, member.id}
    assert "Photogrammetry" in plan.body
    load_demo()
    assert db.session.execute(select(func.count()).select_from(Document)).scalar_one() == 4
