"""Document services: create, save (with three-way merge), restore, rename, move, delete.

Every function takes the acting user explicitly, asks `app.policy`, validates before writing,
commits once and returns domain objects or raises an `app.core.errors` DomainError. Reading
what a page shows lives in `queries.py`. Concurrent edits never overwrite silently: see
`save_document`.
"""
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..core.errors import Conflict, NotFound, TooLarge, ValidationError
from ..core.markdown import render_markdown
from ..core.text import check_text, clean_text
from ..core.time import utcnow
from ..extensions import db
from ..policy import authorize
from ..projects.activity import record_activity
from .merge import MergeResult, merge_texts, normalise_newlines
from .models import SUMMARY_MAX, TITLE_MAX, Document, DocumentRevision
from .queries import get_revision

BODY_MAX_CHARS = 500_000
SAVE_ATTEMPTS = 3


class DocumentConflict(Conflict):
    """Both people changed the same lines: nothing was saved; the page shows both versions."""

    def __init__(self, document: Document, current: DocumentRevision, *, mine_body: str,
                 mine_title: str, merge: MergeResult, title_conflict: bool):
        super().__init__(_("Someone saved this document while you were editing it, and your "
                           "changes overlap theirs. Nothing was saved yet: resolve the "
                           "differences below and save again."))
        self.document = document
        self.current = current
        self.mine_body = mine_body
        self.mine_title = mine_title
        self.merge = merge
        self.title_conflict = title_conflict


@dataclass
class SaveOutcome:
    document: Document
    revision: DocumentRevision | None   # None when the save changed nothing
    merged: bool = False                 # True when someone else's changes were merged in


# --- validation ------------------------------------------------------------------------------

def clean_title(title) -> str:
    return clean_text(title, field="title", max_length=TITLE_MAX, required=True,
                      empty=_("Give the document a title."),
                      too_long=_("The title is too long (at most %(n)s characters).", n=TITLE_MAX))


def clean_body(body) -> str:
    """The shared text check, then the document's own shape: LF newlines, one final newline."""
    if body is None:
        body = ""
    if not isinstance(body, str):
        raise ValidationError(_("The text must be a string."), field="body")
    if len(body) > BODY_MAX_CHARS:
        raise TooLarge(_("The document is too long (at most %(n)s characters).",
                         n=BODY_MAX_CHARS))
    body = normalise_newlines(check_text(body, field="body"))
    return body.rstrip() + "\n" if body.strip() else ""


def clean_summary(summary) -> str:
    return clean_text(summary, field="summary", max_length=SUMMARY_MAX, too_long=_(
        "The summary is too long (at most %(n)s characters).", n=SUMMARY_MAX))


def _parse_int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(_("That is not a valid number."), field=field) from None


# --- writing ---------------------------------------------------------------------------------

_heading_tag = re.compile(r"<(/?)h([1-6])>")


def render_document(body: str) -> str:
    """The one renderer, with headings moved one level down: the page title is the only h1."""
    html = str(render_markdown(body))
    return _heading_tag.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}>", html)


def _add_revision(document: Document, user, *, title: str, body: str, summary: str,
                  number: int) -> DocumentRevision:
    now = utcnow()
    revision = DocumentRevision(
        document=document, number=number, title=title, body=body,
        html=render_document(body), summary=summary, author_id=getattr(user, "id", None),
        created_at=now,
    )
    db.session.add(revision)
    document.current_revision = revision
    document.title = title
    document.updated_at = now
    return revision


def _check_parent(project, parent_id, *, moving: Document | None = None) -> int | None:
    if parent_id in (None, "", 0, "0"):
        return None
    parent_id = _parse_int(parent_id, "parent")
    rows = db.session.execute(
        select(Document.id, Document.parent_id)
        .where(Document.project_id == project.id, Document.deleted_at.is_(None))
    ).all()
    parents = {row.id: row.parent_id for row in rows}
    if parent_id not in parents:
        raise ValidationError(_("Choose a parent page from this project."), field="parent")
    if moving is not None:
        cursor, seen = parent_id, set()
        while cursor is not None and cursor not in seen:
            if cursor == moving.id:
                raise ValidationError(_("A page cannot be moved inside itself or one of its "
                                        "own sub-pages."), field="parent")
            seen.add(cursor)
            cursor = parents.get(cursor)
    return parent_id


def _next_position(project, parent_id) -> int:
    last = db.session.execute(
        select(func.max(Document.position))
        .where(Document.project_id == project.id, Document.parent_id.is_(None) if parent_id is None
               else Document.parent_id == parent_id)
    ).scalar_one()
    return (last or 0) + 1


def create_document(user, project, *, title, body="", parent_id=None, is_folder=False,
                    summary="") -> Document:
    authorize(user, "project.contribute", project)
    parent_id = _check_parent(project, parent_id)
    document = _new_document(user, project, title=title, body=body, parent_id=parent_id,
                             is_folder=is_folder, summary=summary)
    db.session.commit()
    return document


def add_programme_document(author, project, *, title, body, summary="") -> Document:
    """A top-level document the programme writes into a workspace it opens (the proposal of a
    selected application). No policy call: the caller was authorized as a programme manager.
    Flushes; the caller commits."""
    return _new_document(author, project, title=title, body=body, parent_id=None,
                         is_folder=False, summary=summary)


def _new_document(user, project, *, title, body, parent_id, is_folder, summary) -> Document:
    title, body, summary = clean_title(title), clean_body(body), clean_summary(summary)
    now = utcnow()
    document = Document(
        project_id=project.id, parent_id=parent_id, title=title, is_folder=bool(is_folder),
        position=_next_position(project, parent_id), created_by_id=user.id, created_at=now,
        updated_at=now,
    )
    db.session.add(document)
    db.session.flush()
    _add_revision(document, user, title=title, body=body, number=1,
                  summary=summary or _("Created"))
    record_activity(project, user, "document.created", target_type="document",
                    target_id=document.id, summary=title)
    return document


def save_document(user, document: Document, *, body, base_revision, summary="",
                  title=None) -> SaveOutcome:
    """Save an edit started from revision `base_revision`.

    Same base as the current revision: saved as is. Older base: three-way merge of the base,
    the current text (theirs) and the submitted text (mine); saved when the changes do not
    overlap, otherwise `DocumentConflict` (409) and nothing is written. A save that changes
    nothing makes no revision.
    """
    project = document.project
    authorize(user, "project.contribute", project)
    if document.is_deleted:
        raise NotFound()
    body, summary = clean_body(body), clean_summary(summary)
    title = clean_title(title) if title is not None else None
    base_number = _parse_int(base_revision, "base_revision")
    document_id = document.id
    for attempt in range(SAVE_ATTEMPTS):
        outcome = _try_save(user, document, project, body=body, title=title, summary=summary,
                            base_number=base_number)
        try:
            db.session.commit()
            return outcome
        except IntegrityError:
            # Someone took the same revision number in the same instant: merge against theirs.
            db.session.rollback()
            if attempt == SAVE_ATTEMPTS - 1:
                raise Conflict() from None
            document = db.session.get(Document, document_id, populate_existing=True)
    raise Conflict()  # pragma: no cover - the loop always returns or raises


def _try_save(user, document, project, *, body, title, summary, base_number) -> SaveOutcome:
    current = document.current_revision
    if not 1 <= base_number <= current.number:
        raise ValidationError(_("The revision this edit started from does not exist."),
                              field="base_revision")
    mine_title = title if title is not None else current.title
    merged = False
    if base_number == current.number:
        new_body, new_title = body, mine_title
    else:
        base = get_revision(document, base_number)
        merge = merge_texts(base.body, current.body, body,
                            their_label=_("saved by others (revision %(n)s)", n=current.number),
                            my_label=_("your version"))
        new_title, title_conflict = _merge_title(base.title, current.title, mine_title)
        if not merge.clean or title_conflict:
            raise DocumentConflict(document, current, mine_body=body, mine_title=mine_title,
                                   merge=merge, title_conflict=title_conflict)
        new_body = clean_body(merge.text)
        merged = new_body != body or new_title != mine_title
    if new_body == current.body and new_title == current.title:
        return SaveOutcome(document, None, merged)
    revision = _add_revision(document, user, title=new_title, body=new_body,
                             number=current.number + 1,
                             summary=summary or (_("Merged with revision %(n)s", n=current.number)
                                                 if merged else ""))
    record_activity(project, user, "document.edited", target_type="document",
                    target_id=document.id, summary=new_title)
    return SaveOutcome(document, revision, merged)


def merge_edits(base: str, theirs: str, mine: str) -> MergeResult:
    """The documents' three-way merge for other features' texts edited by several people
    (application drafts): changes to different lines are combined; changes to the same lines
    are both kept, between conflict markers, so nothing either person typed is lost."""
    return merge_texts(base, theirs, mine,
                       their_label=_("saved by someone else"), my_label=_("your version"))


def _merge_title(base: str, theirs: str, mine: str) -> tuple[str, bool]:
    if mine == base or mine == theirs:
        return theirs, False
    if theirs == base:
        return mine, False
    return mine, True


def restore_revision(user, document: Document, number) -> DocumentRevision | None:
    """Make an old revision current again, as a new revision. None if it already is."""
    authorize(user, "project.contribute", document.project)
    old = get_revision(document, number)
    current = document.current_revision
    if old.body == current.body and old.title == current.title:
        return None
    revision = _add_revision(document, user, title=old.title, body=old.body,
                             number=current.number + 1,
                             summary=_("Restored revision %(n)s", n=old.number))
    record_activity(document.project, user, "document.restored",
                    target_type="document", target_id=document.id, summary=old.title)
    db.session.commit()
    return revision


def rename_document(user, document: Document, title) -> DocumentRevision | None:
    authorize(user, "project.contribute", document.project)
    title = clean_title(title)
    current = document.current_revision
    if title == current.title:
        return None
    revision = _add_revision(document, user, title=title, body=current.body,
                             number=current.number + 1,
                             summary=_("Renamed from “%(old)s”", old=current.title))
    record_activity(document.project, user, "document.renamed", target_type="document",
                    target_id=document.id, summary=title)
    db.session.commit()
    return revision


def move_document(user, document: Document, parent_id) -> Document:
    """Put a document under another page (or at the top level); refuses cycles."""
    project = document.project
    authorize(user, "project.contribute", project)
    parent_id = _check_parent(project, parent_id, moving=document)
    if parent_id == document.parent_id:
        return document
    document.parent_id = parent_id
    document.position = _next_position(project, parent_id)
    record_activity(project, user, "document.moved", target_type="document",
                    target_id=document.id, summary=document.title)
    db.session.commit()
    return document


def _descendant_ids(document: Document, *, deleted_at=None) -> list[int]:
    rows = db.session.execute(
        select(Document.id, Document.parent_id, Document.deleted_at)
        .where(Document.project_id == document.project_id)
    ).all()
    children: dict[int, list] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    found, stack = [], [document.id]
    while stack:
        for row in children.get(stack.pop(), []):
            if row.id not in found and row.deleted_at == deleted_at:
                found.append(row.id)
                stack.append(row.id)
    return found


def delete_document(user, document: Document) -> int:
    """Soft-delete a document and its live sub-pages; returns how many were deleted."""
    authorize(user, "project.contribute", document.project)
    if document.is_deleted:
        raise NotFound()
    now = utcnow()
    ids = [document.id, *_descendant_ids(document)]
    db.session.execute(
        Document.__table__.update().where(Document.id.in_(ids))
        .values(deleted_at=now, deleted_by_id=user.id)
    )
    record_activity(document.project, user, "document.deleted", target_type="document",
                    target_id=document.id, summary=document.title)
    db.session.commit()
    return len(ids)


def restore_document(user, document: Document) -> int:
    """Lead only: bring back a deleted document and the sub-pages deleted with it."""
    project = document.project
    authorize(user, "project.manage", project)
    if not document.is_deleted:
        raise NotFound()
    ids = [document.id, *_descendant_ids(document, deleted_at=document.deleted_at)]
    if document.parent_id is not None:
        parent = db.session.get(Document, document.parent_id)
        if parent is None or parent.is_deleted:
            document.parent_id = None
            document.position = _next_position(project, None)
    db.session.flush()
    db.session.execute(
        Document.__table__.update().where(Document.id.in_(ids))
        .values(deleted_at=None, deleted_by_id=None)
    )
    record_activity(project, user, "document.undeleted", target_type="document",
                    target_id=document.id, summary=document.title)
    db.session.commit()
    return len(ids)
