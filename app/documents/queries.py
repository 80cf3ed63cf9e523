"""Reading documents for pages and the API, each in a fixed number of statements.

The caller has already loaded the project through `load_project` (which asked the policy);
these functions only scope every query to that project. Writing lives in `services.py`.
"""
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer, joinedload, selectinload

from ..core.errors import NotFound, ValidationError
from ..core.pagination import Page, paginate
from ..extensions import db
from .models import Document, DocumentRevision


def get_document(project, document_id, *, deleted: bool = False) -> Document:
    """A live (or, with `deleted=True`, a deleted) document of `project`, or NotFound."""
    try:
        document_id = int(document_id)
    except (TypeError, ValueError, OverflowError):
        raise NotFound() from None
    statement = (
        select(Document)
        .options(joinedload(Document.current_revision).joinedload(DocumentRevision.author))
        .where(Document.id == document_id, Document.project_id == project.id)
        .where(Document.deleted_at.is_not(None) if deleted else Document.deleted_at.is_(None))
    )
    document = db.session.execute(statement).scalar_one_or_none()
    if document is None:
        raise NotFound()
    return document


def live_documents(project) -> list[Document]:
    """All live documents of a project with their current revision and its author: one query
    (texts are not loaded: a list does not need them)."""
    return list(db.session.execute(_live_documents(), {"project_id": project.id}).scalars())


@cache
def _live_documents():
    """Built once, on first use (the mappers must be configured): every documents page runs
    it, and a prebuilt statement's cache key is computed once, not per request."""
    current = joinedload(Document.current_revision)
    return (select(Document)
            .options(current.joinedload(DocumentRevision.author),
                     current.defer(DocumentRevision.body), current.defer(DocumentRevision.html))
            .where(Document.project_id == bindparam("project_id"), Document.deleted_at.is_(None))
            .order_by(Document.position, Document.title, Document.id))


def document_tree(project) -> list[tuple[Document, int]]:
    """Live documents in tree order with their depth. Children of a deleted parent show at top."""
    documents = live_documents(project)
    ids = {doc.id for doc in documents}
    children: dict[int | None, list[Document]] = {}
    for doc in documents:
        parent = doc.parent_id if doc.parent_id in ids else None
        children.setdefault(parent, []).append(doc)
    ordered: list[tuple[Document, int]] = []

    def walk(parent_id, depth):
        for doc in children.get(parent_id, []):
            ordered.append((doc, depth))
            walk(doc.id, depth + 1)

    walk(None, 0)
    return ordered


def ancestors(document: Document) -> list[Document]:
    """The live parents of a document, outermost first (for breadcrumbs): one query."""
    rows = db.session.execute(
        select(Document.id, Document.parent_id, Document.title)
        .where(Document.project_id == document.project_id, Document.deleted_at.is_(None))
    ).all()
    by_id = {row.id: row for row in rows}
    chain, seen, parent_id = [], {document.id}, document.parent_id
    while parent_id in by_id and parent_id not in seen:
        seen.add(parent_id)
        chain.append(by_id[parent_id])
        parent_id = by_id[parent_id].parent_id
    return list(reversed(chain))


def children_of(document: Document) -> list[Document]:
    return list(db.session.execute(
        select(Document).where(Document.parent_id == document.id, Document.deleted_at.is_(None))
        .order_by(Document.position, Document.title)
    ).scalars())


def deleted_documents(project) -> list[Document]:
    return list(db.session.execute(
        select(Document).options(joinedload(Document.deleted_by))
        .where(Document.project_id == project.id, Document.deleted_at.is_not(None))
        .order_by(Document.deleted_at.desc())
    ).scalars())


def revision_page(document: Document, page=1, per_page=None) -> Page:
    """One page of the history, newest first, authors and co-authors loaded with it (texts
    not): three statements."""
    statement = (
        select(DocumentRevision)
        .options(joinedload(DocumentRevision.author), selectinload(DocumentRevision.co_authors),
                 defer(DocumentRevision.body),
                 defer(DocumentRevision.html))
        .where(DocumentRevision.document_id == document.id)
        .order_by(DocumentRevision.number.desc())
    )
    return paginate(statement, page, per_page, default_per_page=25)


def get_revision(document: Document, number) -> DocumentRevision:
    try:
        number = int(number)
    except (TypeError, ValueError, OverflowError):
        raise NotFound() from None
    revision = db.session.execute(
        select(DocumentRevision).options(joinedload(DocumentRevision.author))
        .where(DocumentRevision.document_id == document.id, DocumentRevision.number == number)
    ).scalar_one_or_none()
    if revision is None:
        raise NotFound()
    return revision


def diff_pair(document: Document, from_number, to_number
              ) -> tuple[DocumentRevision, DocumentRevision]:
    """The two revisions to compare; defaults: the previous revision against the current one."""
    current = document.revision_number
    to_number = _bounded(to_number, current, current)
    from_number = _bounded(from_number, max(1, to_number - 1), current)
    revisions = {rev.number: rev for rev in db.session.execute(
        select(DocumentRevision).options(joinedload(DocumentRevision.author))
        .where(DocumentRevision.document_id == document.id,
               DocumentRevision.number.in_({from_number, to_number}))
    ).scalars()}
    if from_number not in revisions or to_number not in revisions:
        raise NotFound()
    return revisions[from_number], revisions[to_number]


def _bounded(value, default: int, maximum: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(_("Choose revisions by their number.")) from None
    if not 1 <= number <= maximum:
        raise NotFound()
    return number
