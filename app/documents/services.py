"""Document services: create, save, restore, rename, move, delete, and cutting revisions.

Every function takes the acting user explicitly, asks `app.policy`, validates before writing,
commits and returns domain objects or raises an `app.core.errors` DomainError. Reading what a
page shows lives in `queries.py`. The text of a document is its shared co-editing state
(`coedit/`): a form save or a restore is an edit applied to that state, and a revision is a
picture of it (`cut_revision`, the one revision-save path: rendered HTML, activity, co-authors).
"""
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from pycrdt import Doc, Text
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..core.errors import Conflict, NotFound, TooLarge, ValidationError
from ..core.markdown import render_markdown
from ..core.text import check_text, clean_text
from ..core.time import utcnow
from ..extensions import db
from ..policy import authorize
from ..auth.models import User
from ..projects.activity import record_activity
from .coedit import broadcast, state, store
from .coedit.presence import document_presence
from .coedit.textops import apply_operations, rebase
from .merge import MergeResult, merge_texts, normalise_newlines
from .models import SUMMARY_MAX, TITLE_MAX, Document, DocumentRevision
from .queries import get_revision

BODY_MAX_CHARS = 500_000
SAVE_ATTEMPTS = 3


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
                  title=None, live: bool = False) -> SaveOutcome:
    """Save an edit started from revision `base_revision` (the form without JavaScript, the API).

    The edit is applied to the shared text as an update everyone editing sees at once: changes
    that do not overlap anyone else's are merged line by line; overlapping ones are applied
    character by character where the person made them, so nothing anyone typed is lost and
    there is no conflict page. Then a revision is cut (none if nothing changed). `live`: the
    page ran the live co-editor, whose text is already in the shared state: only the title and
    summary are taken from the form.
    """
    project = document.project
    authorize(user, "project.contribute", project)
    if document.is_deleted:
        raise NotFound()
    body, summary = clean_body(body), clean_summary(summary)
    title = clean_title(title) if title is not None else None
    base_number = _parse_int(base_revision, "base_revision")
    current = document.current_revision
    if not 1 <= base_number <= current.number:
        raise ValidationError(_("The revision this edit started from does not exist."),
                              field="base_revision")
    base = current if base_number == current.number else get_revision(document, base_number)
    base_body, base_title, current_number = base.body, base.title, current.number
    opened = state.open_document(document)
    merged = False if live else apply_text_edit(user, document, opened, base_body, body)
    new_title = None if title is None else _merge_title(base_title, current.title, title)
    merged = merged or (new_title is not None and new_title != title)
    revision = cut_revision(user, document, title=new_title, summary=summary or (
        _("Merged with revision %(n)s", n=current_number) if merged else ""))
    _release_unless_open(document.id)
    return SaveOutcome(document, revision, merged)


def _release_unless_open(document_id: int) -> None:
    """A form save or restore loaded the shared state here; nobody here has it open: forget it
    (everything is stored)."""
    if document_id not in document_presence(current_app).local_documents():
        state.release(document_id)


def _target_text(base: str, current: str, mine: str) -> list[tuple[int, int, str]]:
    """The operations that bring the change base -> mine into `current`: lines only one side
    changed are merged; where both changed the same lines, theirs stay and mine follow them
    (nothing lost, no markers, no conflict page)."""
    if base == current:
        return rebase(current, mine, current)
    merge = merge_texts(base, current, mine, union=True)
    return rebase(current, merge.text, current)


def apply_text_edit(user, document: Document, opened, base: str, mine: str) -> bool:
    """Apply the text edit base -> mine to the shared state as one stored, broadcast update.
    True when someone else had changed the text since `base` (their changes are kept)."""
    with opened.lock:
        current = opened.body
        operations = _target_text(base, current, mine)
        if not operations:
            return normalise_newlines(current).rstrip() != base.rstrip()
        scratch = Doc()
        scratch.get(store.BODY, type=Text)
        scratch.apply_update(opened.ydoc.get_update())
        before = opened.ydoc.get_state()
        with scratch.transaction():
            apply_operations(scratch.get(store.BODY, type=Text), operations)
        data = scratch.get_update(before)
    update_id = opened.store_update(getattr(user, "id", None), data)
    broadcast.emit_update(document.project.slug, document.id, data, update_id)
    return normalise_newlines(current).rstrip() != base.rstrip()


def cut_revision(actor, document: Document, *, summary: str = "", title: str | None = None,
                 verb: str = "document.edited", skip_sid: str | None = None
                 ) -> DocumentRevision | None:
    """Make the shared text (and `title`, if given) the document's next revision, attributed
    to everyone who edited since the previous one; None when nothing changed.

    `actor`: who asked (saved a version, restored, saved the form), or None for the automatic
    cuts (a pause, the last editor leaving), which the first of the editors signs.
    """
    opened = state.open_document(document)
    document_id, slug = document.id, document.project.slug
    for attempt in range(SAVE_ATTEMPTS):
        with opened.lock:
            through, text = opened.last_id, opened.body
        try:
            revision = _cut(actor, document, opened, through, text, summary, title, verb)
            if revision is None:  # nothing changed (or someone else cut it): nothing pending
                opened.revision_update_id = max(opened.revision_update_id, through)
                return None
            number, summary_text = revision.number, revision.summary
            db.session.commit()
        except IntegrityError:  # another process cut the same revision number: look again
            db.session.rollback()
            if attempt == SAVE_ATTEMPTS - 1:
                raise Conflict() from None
            document = db.session.get(Document, document_id, populate_existing=True)
            opened.catch_up()
            continue
        opened.revision_update_id = max(opened.revision_update_id, through)
        broadcast.emit_revision(slug, document_id, number, summary_text, skip_sid=skip_sid)
        return revision
    return None  # pragma: no cover - the loop always returns or raises


def _cut(actor, document, opened, through, text, summary, title, verb):
    locked = store.lock_state(document.id)
    since = locked.revision_update_id if locked else 0
    current = document.current_revision
    new_title = title if title is not None else current.title
    if through <= since and new_title == current.title:
        db.session.rollback()
        return None
    body = clean_body(text)
    editors = store.editors_between(document.id, since, through) if through > since else []
    actor_id = getattr(actor, "id", None)
    if actor_id is not None and actor_id in editors:
        editors.remove(actor_id)
        editors.insert(0, actor_id)
    if body == current.body and new_title == current.title:
        store.mark_revision(document.id, None, through, [])
        db.session.commit()
        return None
    author = actor if actor_id is not None else (
        db.session.get(User, editors[0]) if editors else None)
    revision = _add_revision(document, author, title=new_title, body=body,
                             number=current.number + 1, summary=summary)
    db.session.flush()
    store.mark_revision(document.id, revision.id, max(through, since),
                        editors or ([actor_id] if actor_id else []))
    record_activity(document.project, author, verb, target_type="document",
                    target_id=document.id, summary=new_title)
    return revision


def merge_edits(base: str, theirs: str, mine: str) -> MergeResult:
    """The documents' three-way merge for other features' texts edited by several people
    (application drafts): changes to different lines are combined; changes to the same lines
    are both kept, between conflict markers, so nothing either person typed is lost."""
    return merge_texts(base, theirs, mine,
                       their_label=_("saved by someone else"), my_label=_("your version"))


def _merge_title(base: str, theirs: str, mine: str) -> str:
    """A title only one side changed takes that side; both changed it: the later save's."""
    return theirs if mine == base else mine


def restore_revision(user, document: Document, number) -> DocumentRevision | None:
    """Make an old revision current again: an edit of the shared text everyone editing sees at
    once, then a new revision. None if it already is the current text and title."""
    authorize(user, "project.contribute", document.project)
    old = get_revision(document, number)
    old_body, old_title, old_number = old.body, old.title, old.number
    opened = state.open_document(document)
    current = opened.body
    apply_text_edit(user, document, opened, current, old_body)
    revision = cut_revision(user, document, title=old_title, verb="document.restored",
                            summary=_("Restored revision %(n)s", n=old_number))
    _release_unless_open(document.id)
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
    slug = document.project.slug
    db.session.commit()
    for document_id in ids:
        broadcast.revoke_room(slug, document_id, _("This document has been deleted."))
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
