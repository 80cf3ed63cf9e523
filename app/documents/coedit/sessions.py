"""The services behind the co-editing socket events, and the background step of each process.

Each function takes the caller's user id (from the connection) and plain payload values, asks
the policy through the chat's one-statement caller check, and validates every value (types,
base64, sizes, whether pycrdt can read the bytes) before anything is stored. The doors
(`app.documents.events`) join and leave rooms and emit; the background step (`sweep`) cuts a
revision once a document has had no edits for COEDIT_REVISION_IDLE_SECONDS, compacts what is in
a revision, refreshes presence and forgets documents nobody here has open.
"""
import base64
import binascii
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from pycrdt import Doc
from sqlalchemy import bindparam, select

from ...chat.access import chat_caller
from ...core.errors import NotFound, PermissionDenied, TooLarge, ValidationError
from ...core.signals import member_removed
from ...extensions import db, socketio
from ...policy import can
from .. import services as documents
from ..models import Document
from . import broadcast, commits, state, store
from .presence import HEARTBEAT, LIST, document_presence

MAX_DOCUMENT_ID = 2**31 - 1


class ReadOnly(PermissionDenied):
    """May follow the document (observers, mentors) but not change it."""


# --- payload values --------------------------------------------------------------------------

def clean_document_id(value) -> int:
    if type(value) is not int or not 1 <= value <= MAX_DOCUMENT_ID:  # bools are not ids
        raise ValidationError(_("Name the document by its number."))
    return value


def decode_b64(value, limit: int) -> bytes:
    if not isinstance(value, str):
        raise ValidationError(_("Binary data must be sent as base64 text."))
    if len(value) > limit * 4 // 3 + 4:
        raise TooLarge(_("This change is too large (at most %(n)s bytes).", n=limit))
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(_("This is not valid base64.")) from None
    if len(data) > limit:
        raise TooLarge(_("This change is too large (at most %(n)s bytes).", n=limit))
    return data


def readable_update(data: bytes) -> bytes:
    """The bytes if pycrdt can decode them as an update; else a ValidationError."""
    if not data:
        raise ValidationError(_("This change could not be read."))
    try:
        Doc().apply_update(data)
    except Exception:  # pycrdt raises ValueError, Rust panics surface as others
        raise ValidationError(_("This change could not be read.")) from None
    return data


def clean_client_id(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise ValidationError(_("client_id must be a short string."))
    return value


# --- the caller ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentRef:
    """A live document as the events need it (read with one Core statement, no ORM object)."""

    id: int
    project_id: int


_documents = Document.__table__
_LIVE_DOCUMENT = select(_documents.c.id, _documents.c.project_id).where(
    _documents.c.id == bindparam("id"), _documents.c.deleted_at.is_(None),
    _documents.c.is_folder.is_(False))


def document_caller(user_id, slug, document_id, action: str = "project.view"):
    """(user, project, DocumentRef) if the caller may `action` on the document's project.

    Everyone who may see the project may follow its documents; `project.contribute` (members,
    leads) may change them. NotFound for a document that is gone or elsewhere."""
    document_id = clean_document_id(document_id)
    user, project = chat_caller(user_id, slug, "project.view")
    row = db.session.execute(_LIVE_DOCUMENT, {"id": document_id}).first()
    if row is None or row.project_id != project.id:
        raise NotFound()
    if action != "project.view" and not can(user, action, project):
        raise ReadOnly(_("You can read this document but not change it."))
    return user, project, DocumentRef(row.id, row.project_id)


def revision_number(document: DocumentRef) -> int:
    return db.session.get(Document, document.id).revision_number


def joined_here(sid: str, document_id: int) -> bool:
    return document_presence(current_app).joined(sid, document_id)


def project_caller(user_id, slug):
    """(user, project) for the documents list: whoever may see the project."""
    return chat_caller(user_id, slug, "project.view")


def list_joined(sid: str, user, project) -> dict:
    presence = document_presence(current_app)
    presence.add(project.id, LIST, sid, user.id, user.name, False)
    ensure_sweeper(current_app._get_current_object())
    return presence.by_document(project.id)


def may_edit(user, project) -> bool:
    return can(user, "project.contribute", project)


# --- the shared state ------------------------------------------------------------------------

def open_state(document) -> state.OpenDocument:
    return state.open_document(document)


def missing_for(opened: state.OpenDocument, state_vector_b64) -> tuple[bytes, bytes]:
    """(what a client with that state vector lacks, the server's state vector)."""
    vector = None
    if state_vector_b64 is not None:
        vector = decode_b64(state_vector_b64, current_app.config["COEDIT_MAX_UPDATE_BYTES"])
    with opened.lock:
        try:
            update = opened.ydoc.get_update(vector) if vector else opened.ydoc.get_update()
        except Exception:
            raise ValidationError(_("This state vector could not be read.")) from None
        return update, opened.ydoc.get_state()


def apply_update(document: DocumentRef, update_b64) -> tuple[state.OpenDocument, bytes]:
    """Validate one client update and apply it to the shared state (not yet stored: the door
    relays it, then `store_update`); (the open document, the bytes)."""
    data = readable_update(decode_b64(update_b64, current_app.config["COEDIT_MAX_UPDATE_BYTES"]))
    opened = state.get_open(document.id) or state.open_document(document)
    if len(opened.body) > documents.BODY_MAX_CHARS:
        raise TooLarge(_("The document is too long (at most %(n)s characters).",
                         n=documents.BODY_MAX_CHARS))
    opened.apply_local(data)
    return opened, data


def store_update(user, opened: state.OpenDocument, data: bytes) -> int:
    """Store an applied update with whatever else of the document is waiting (group commit);
    its id once committed."""
    return commits.store(opened, user.id, data)


def check_awareness(update_b64) -> str:
    decode_b64(update_b64, current_app.config["COEDIT_MAX_AWARENESS_BYTES"])
    return update_b64


def save_version(user, ref: DocumentRef, summary, sid: str | None = None):
    """Cut a revision now, with the caller's summary; the current one if nothing changed."""
    summary = documents.clean_summary(summary)
    document = db.session.get(Document, ref.id)
    number = document.revision_number
    revision = documents.cut_revision(user, document, summary=summary, skip_sid=sid)
    if revision is None:
        return number, False
    return revision.number, True


# --- presence --------------------------------------------------------------------------------

def announce(slug: str, project_id: int, document_id: int) -> None:
    presence = document_presence(current_app)
    broadcast.emit_presence(slug, project_id, document_id,
                            presence.editors(project_id, document_id),
                            presence.by_document(project_id))


def joined(sid: str, user, project, document, can_edit: bool) -> list[dict]:
    presence = document_presence(current_app)
    presence.add(project.id, document.id, sid, user.id, user.name, can_edit)
    ensure_sweeper(current_app._get_current_object())
    announce(project.slug, project.id, document.id)
    return presence.editors(project.id, document.id)


def left(sid: str, slug: str, document_id: int) -> None:
    """A connection closed the document: presence, and a revision if it was the last editor
    here (a revision is cheap; the other processes cut their own when theirs leave)."""
    presence = document_presence(current_app)
    project_id = presence.remove(document_id, sid)
    if project_id is None:
        return
    announce(slug, project_id, document_id)
    if presence.local_editors(document_id) == 0:
        _settle(document_id)


def connection_closed(sid: str) -> None:
    for project_id, document_id in document_presence(current_app).remove_connection(sid):
        if document_id == LIST:
            continue
        document = db.session.get(Document, document_id)
        if document is not None:
            announce(document.project.slug, project_id, document_id)
            if document_presence(current_app).local_editors(document_id) == 0:
                _settle(document_id)


def _settle(document_id: int) -> None:
    """Cut the pending revision of a document, fold it into the snapshot, maybe forget it."""
    opened = state.get_open(document_id)
    document = db.session.get(Document, document_id)
    if opened is None or document is None:
        return
    if opened.pending and not document.is_deleted:
        documents.cut_revision(None, document)
        store.compact(document_id)
    if document_id not in document_presence(current_app).local_documents():
        state.release(document_id)


def _on_member_removed(_sender=None, **kwargs) -> None:
    project, user = kwargs.get("project"), kwargs.get("user")
    if project is None or user is None:
        return
    try:
        presence = document_presence(current_app)
        message = _("You are no longer a member of this project.")
        documents_left = set()
        for document_id, sid, entry in presence.connections_of(project.id,
                                                               getattr(user, "id", user)):
            presence.drop_entry(project.id, entry)
            if document_id == LIST:
                socketio.server.leave_room(sid, broadcast.list_room(project.id), namespace="/")
                continue
            socketio.server.leave_room(sid, broadcast.document_room(document_id), namespace="/")
            broadcast.emit_revoked(sid, project.slug, document_id, message)
            documents_left.add(document_id)
        for document_id in documents_left:
            announce(project.slug, project.id, document_id)
    except Exception:  # receivers must not raise into the sender's request
        current_app.logger.exception("co-editing: could not cut off a removed member")


member_removed.connect(_on_member_removed, weak=False)


# --- the background step ---------------------------------------------------------------------

_sweepers: set[int] = set()


def ensure_sweeper(app) -> None:
    if id(app) in _sweepers:
        return
    _sweepers.add(id(app))
    socketio.start_background_task(_sweep_loop, app)


def _sweep_loop(app) -> None:
    last_heartbeat = time.monotonic()
    while True:
        socketio.sleep(min(1.0, app.config["COEDIT_REVISION_IDLE_SECONDS"] / 4))
        try:
            with app.app_context():
                sweep(app)
                if time.monotonic() - last_heartbeat >= HEARTBEAT:
                    document_presence(app).heartbeat()
                    last_heartbeat = time.monotonic()
        except Exception:  # a database or Redis hiccup must not end the loop
            app.logger.exception("co-editing background step failed")


def sweep(app) -> int:
    """Cut the revisions due after a pause (the other processes' edits count too: the
    document catches up first); returns how many were cut. Needs an app context."""
    idle = app.config["COEDIT_REVISION_IDLE_SECONDS"]
    cut = 0
    open_here = document_presence(app).local_documents()
    for opened in state.held(app):
        try:
            if not opened.pending and opened.id not in open_here:
                state.release(opened.id)  # nobody here has it open and all is in a revision
                continue
            if not opened.pending or time.monotonic() - opened.last_change < idle:
                continue
            opened.catch_up()  # edits stored by other processes reset the pause
            if opened.pending and time.monotonic() - opened.last_change >= idle:
                document = db.session.get(Document, opened.id)
                if document is None or document.is_deleted:
                    state.release(opened.id)
                    continue
                if documents.cut_revision(None, document) is not None:
                    cut += 1
                store.compact(opened.id)
        except Exception:
            db.session.rollback()
            app.logger.exception("co-editing: could not cut a revision of document %s",
                                 opened.id)
        finally:
            db.session.remove()
    return cut


def compact_all() -> int:
    """Fold every update already in a revision into its document's snapshot (the CLI)."""
    return sum(store.compact(document_id) for document_id in store.documents_to_compact())
