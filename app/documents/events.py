"""Socket.IO doors of co-editing (the contract: docs/realtime.md, "Co-editing").

Each handler turns a payload into calls of `coedit.sessions` and an ack; every event re-checks
the caller's access through the policy (`sessions.document_caller`), ends its database work
before it emits, and answers `{"ok": false, "error": ...}` instead of raising. A caller refused
while still in the document's room (removed from the project, document deleted) is taken out
and told (`doc_revoked`). Rooms are internal (`document:<id>`).
"""

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room

from ..core import realtime, subscription
from ..core.errors import (DomainError, NotFound, PermissionDenied, Unavailable,
                           ValidationError)
from ..extensions import db, socketio
from .coedit import broadcast, sessions

JOIN_WAIT_SECONDS = 3.0


def _caller(payload, action: str = "project.view"):
    if not isinstance(payload, dict):
        raise ValidationError(_("The payload must be an object."))
    return sessions.document_caller(realtime.socket_user_id(request.sid), payload.get("project"),
                                    payload.get("doc"), action)


def _cut_off(payload, error: DomainError) -> None:
    """A refused caller who had the document open loses it (removed, or the document gone);
    someone who may still read it (an observer trying to edit) keeps following it."""
    document_id = payload.get("doc") if isinstance(payload, dict) else None
    if isinstance(error, sessions.ReadOnly) or type(document_id) is not int \
            or not sessions.joined_here(request.sid, document_id):
        return
    slug = str(payload.get("project"))
    leave_room(broadcast.document_room(document_id))
    sessions.left(request.sid, slug, document_id)
    broadcast.emit_revoked(request.sid, slug, document_id, error.message)


def _refused(payload, error: DomainError) -> None:
    if isinstance(error, (NotFound, PermissionDenied)):
        try:
            _cut_off(payload, error)
        except Exception:
            current_app.logger.exception("co-editing: cutting off failed")


def coedit_event(name: str, limit: str | None = None):
    """A co-editing door (app.core.realtime.guarded_event); a refused caller who had the
    document open is cut off."""
    return realtime.guarded_event(name, feature="co-editing", limit=limit, on_refused=_refused)


@coedit_event("doc_join", limit="COEDIT_JOIN_RATE_LIMIT")
def on_join(payload):
    user, project, document = _caller(payload)
    can_edit = sessions.may_edit(user, project)
    if not subscription.wait_until_listening(socketio.server, JOIN_WAIT_SECONDS):
        raise Unavailable()
    # In the room before reading the state: an update stored meanwhile reaches us either way.
    join_room(broadcast.document_room(document.id))
    try:
        opened = sessions.open_state(document)
        update, vector = sessions.missing_for(opened, payload.get("state_vector"))
        revision = sessions.revision_number(document)
        editors = sessions.joined(request.sid, user, project, document, can_edit)
    except Exception:
        leave_room(broadcast.document_room(document.id))
        raise
    return {"ok": True, "update": broadcast.b64(update), "state_vector": broadcast.b64(vector),
            "can_edit": can_edit, "revision": revision, "editors": editors}


@coedit_event("doc_sync", limit="COEDIT_SYNC_RATE_LIMIT")
def on_sync(payload):
    _user, _project, document = _caller(payload)
    update, vector = sessions.missing_for(sessions.open_state(document),
                                          payload.get("state_vector"))
    return {"ok": True, "update": broadcast.b64(update), "state_vector": broadcast.b64(vector)}


@coedit_event("doc_update", limit="COEDIT_UPDATE_RATE_LIMIT")
def on_update(payload):
    """Relay before store: the others get the update at once; the sender's ack waits for the
    commit (docs/realtime.md, "Co-editing")."""
    user, project, document = _caller(payload, "project.contribute")
    client_id, document_id = sessions.clean_client_id(payload.get("client_id")), document.id
    opened, data = sessions.apply_update(document, payload.get("update"))
    db.session.close()
    broadcast.emit_update(project.slug, document_id, data, skip_sid=request.sid)
    update_id = sessions.store_update(user, opened, data)
    db.session.close()
    return {"ok": True, "client_id": client_id, "seq": update_id}


@coedit_event("awareness", limit="COEDIT_AWARENESS_RATE_LIMIT")
def on_awareness(payload):
    _user, project, document = _caller(payload)
    update, document_id = sessions.check_awareness(payload.get("update")), document.id
    db.session.close()
    socketio.emit("awareness", {"project": project.slug, "doc": document_id, "update": update},
                  to=broadcast.document_room(document_id), skip_sid=request.sid)
    return {"ok": True}


@coedit_event("doc_leave")
def on_leave(payload):
    _user, project, document = _caller(payload)
    leave_room(broadcast.document_room(document.id))
    sessions.left(request.sid, project.slug, document.id)
    return {"ok": True}


@coedit_event("doc_save_version", limit="COEDIT_SAVE_RATE_LIMIT")
def on_save_version(payload):
    user, _project, document = _caller(payload, "project.contribute")
    number, changed = sessions.save_version(user, document, payload.get("summary", ""),
                                            request.sid)
    return {"ok": True, "revision": number, "changed": changed}


@coedit_event("doc_list_join", limit="COEDIT_JOIN_RATE_LIMIT")
def on_list_join(payload):
    """The documents list: who is editing which document now, and every change after."""
    if not isinstance(payload, dict):
        raise ValidationError(_("The payload must be an object."))
    user, project = sessions.project_caller(realtime.socket_user_id(request.sid),
                                            payload.get("project"))
    join_room(broadcast.list_room(project.id))
    return {"ok": True, "docs": sessions.list_joined(request.sid, user, project)}


def _on_disconnect(_user) -> None:
    # No db.session.remove() here: a disconnect can run inside the request that caused it (an
    # account disabled, sessions ended), whose session and current_user must stay usable; the
    # socket's own context ends its session when it is popped.
    try:
        sessions.connection_closed(request.sid)
    except Exception:
        db.session.rollback()
        current_app.logger.exception("co-editing: could not close a connection's documents")


realtime.ON_DISCONNECT.append(_on_disconnect)
