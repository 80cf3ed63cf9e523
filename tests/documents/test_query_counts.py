"""Document pages issue a fixed number of SQL statements, however many rows they show."""
from app.documents.models import DocumentRevision
from app.extensions import db
from tests.querycount import count_queries

from ..conftest import client_for
from ..factories import make_project, make_user
from .factories import make_document

#: the page's own statements (about 3) plus what every workspace page shares: the user, the
#: project with its areas/technologies/partners, the role, and the header badges of other
#: features (notifications, chat unread). The real promise is "does not grow with rows".
MAX_STATEMENTS = 16


def _add_revisions(document, authors, count):
    """Many revisions by many authors, inserted directly (the service path is tested elsewhere)."""
    start = document.revision_number
    for n in range(start + 1, start + count + 1):
        revision = DocumentRevision(document_id=document.id, number=n, title=document.title,
                                    body=f"v{n}\n", html=f"<p>v{n}</p>", summary=f"s{n}",
                                    author_id=authors[n % len(authors)].id)
        db.session.add(revision)
    document.current_revision = revision
    db.session.commit()


def _statements(client, url) -> int:
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    print(f"{url}: {queries.count} statements")  # shown with `pytest -s`
    return queries


def test_history_page_statements_do_not_grow_with_revisions(app):
    authors = [make_user() for _ in range(6)]
    project = make_project(lead=authors[0], members={"member": authors[1:]})
    small = make_document(project, authors[0], title="Small")
    large = make_document(project, authors[0], title="Large")
    _add_revisions(small, authors, 2)
    _add_revisions(large, authors, 120)
    client = client_for(app, authors[0])
    base = f"/projects/{project.slug}/documents"
    few = _statements(client, f"{base}/{small.id}/history")
    many = _statements(client, f"{base}/{large.id}/history?per_page=100")
    assert many.count == few.count, str(many)
    assert many.count <= MAX_STATEMENTS, str(many)


def test_document_list_statements_do_not_grow_with_documents(app):
    authors = [make_user() for _ in range(4)]
    project = make_project(lead=authors[0], members={"member": authors[1:]})
    client = client_for(app, authors[0])
    url = f"/projects/{project.slug}/documents/"
    parent = make_document(project, authors[0], title="Root")
    few = _statements(client, url)
    for n in range(40):
        make_document(project, authors[n % 4], title=f"Page {n}", parent=parent if n % 2 else None)
    many = _statements(client, url)
    assert many.count == few.count, str(many)
    assert many.count <= MAX_STATEMENTS, str(many)


def test_view_and_diff_pages_are_bounded(app):
    lead = make_user()
    project = make_project(lead=lead)
    document = make_document(project, lead)
    _add_revisions(document, [lead], 50)
    client = client_for(app, lead)
    base = f"/projects/{project.slug}/documents/{document.id}"
    for url in (base, f"{base}/diff?from=1&to=51", f"{base}/revisions/20"):
        queries = _statements(client, url)
        assert queries.count <= MAX_STATEMENTS, f"{url}: {queries}"
