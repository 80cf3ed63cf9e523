"""Socket.IO handlers of the chat (the contract is in docs/realtime.md).

Each handler translates a payload into a service call and an ack; every one re-checks the
sender's membership through the policy (`access.chat_caller`: one statement, no caching across
events), ends its database work (commit or close) before it emits, and answers
`{"ok": false, "error": ...}` instead of raising.
Rooms are internal (`project:<id>`); clients only name projects by slug.
"""
import time

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room

from ..core import realtime, subscription
from ..core.metrics import CHAT_MESSAGES
from ..core.errors import NotFound, Unavailable, ValidationError
from ..core.rawsql import raw_executor
from ..core.text import check_text
from ..extensions import db, socketio
from . import presence, services
from .access import chat_caller
from .presence import broadcast_ledger, presence_store, project_room

TYPING_INTERVAL = 2.0
#: Longest a `join` waits for this process to hear the other processes (start-up, Redis back).
JOIN_WAIT_SECONDS = 3.0
_last_typing: dict[tuple[str, int], float] = {}


def _caller(slug, action: str = "project.view", connection=None):
    """(ChatUser, ProjectRef) of this event's sender, if the policy allows `action`."""
    return chat_caller(realtime.socket_user_id(request.sid), slug, action, connection)


def _slug(payload) -> str:
    if not isinstance(payload, dict):
        raise ValidationError(_("The payload must be an object."))
    slug = payload.get("project")
    if not isinstance(slug, str) or not slug:
        raise ValidationError(_("Name the project."))
    return check_text(slug)


def _drop_room_if_outsider(payload) -> None:
    """A refused sender who is still in the room (removed meanwhile) stops receiving it."""
    project = services.project_ref(payload.get("project"))
    if project is None:
        return
    room = project_room(project.id)
    if room in socketio.server.rooms(request.sid):
        leave_room(room)
        presence_store(current_app).remove(project.id, request.sid)


def _refused(payload, error) -> None:
    if isinstance(error, NotFound) and isinstance(payload, dict):
        _drop_room_if_outsider(payload)


def chat_event(name: str, limit: str | None = None):
    """A chat door: acks instead of raising, the text check, the rate limit named by `limit`
    (app.core.realtime.guarded_event); a refused sender still in the room leaves it."""
    return realtime.guarded_event(name, feature="chat", limit=limit, on_refused=_refused)


@chat_event("join", limit="CHAT_JOIN_RATE_LIMIT")
def on_join(payload):
    slug = _slug(payload)
    after = services.clean_id(payload.get("after"), "after")
    user, project = _caller(slug)
    project_id = project.id
    db.session.close()  # no transaction held while waiting below
    # Read the catch-up only once this process hears broadcasts from the others: a message
    # committed after the read and published before the subscription would reach no one here.
    if not subscription.wait_until_listening(socketio.server, JOIN_WAIT_SECONDS):
        raise Unavailable()
    # Join the room before reading, so nothing committed in between is missed (the client
    # drops duplicates by id); any failure takes the caller out again.
    join_room(project_room(project_id))
    try:
        rows, more = services.messages_after(user, project, after)
        messages = [services.message_payload(m, slug) for m in rows]
        if messages:
            services.mark_read(user, project, messages[-1]["id"])
    except Exception:
        leave_room(project_room(project_id))
        raise
    db.session.close()
    store = presence_store(current_app)
    store.add(project_id, request.sid, user.id, user.name)
    presence.ensure_heartbeat(current_app._get_current_object())
    presence.announce(project_id, slug)
    return {"ok": True, "messages": messages, "more": more, "presence": store.online(project_id)}


@chat_event("leave")
def on_leave(payload):
    slug = _slug(payload)
    project = services.project_ref(slug)
    if project is None:
        raise NotFound()
    leave_room(project_room(project.id))
    removed = presence_store(current_app).remove(project.id, request.sid)
    _caller(slug)  # outsiders learn nothing
    db.session.close()
    if removed:
        presence.announce(project.id, slug)
    return {"ok": True}


@chat_event("message")
def on_message(payload):
    slug = _slug(payload)
    # The hot path: the caller check and the insert, then a commit, on one pooled DBAPI
    # connection (prebuilt Core statements, compiled once: app/core/rawsql.py), no ORM session,
    # and the connection is back in the pool before the emit. (The sign-in session was checked
    # just before, by `realtime.socket_user_id`, with one more primary-key read.)
    with raw_executor(db.engine) as connection:
        user, project = _caller(slug, connection=connection)
        data, created = services.post_message(user, project, payload.get("body"),
                                              payload.get("client_id"), connection=connection)
    if created:
        CHAT_MESSAGES.inc()
    ledger = broadcast_ledger(current_app)
    # A retry broadcasts nothing, unless the original never got out (its process died
    # between commit and emit): at most once stored, at least once delivered.
    if created or not ledger.was_broadcast(data["id"]):
        socketio.emit("message", data, to=project_room(project.id))
        ledger.mark(data["id"])
    return {"ok": True, "message": data}


@chat_event("history", limit="CHAT_HISTORY_RATE_LIMIT")
def on_history(payload):
    slug = _slug(payload)
    user, project = _caller(slug)
    rows = services.history(user, project, payload.get("before"), payload.get("limit", 50))
    return {"ok": True, "messages": [services.message_payload(m, slug) for m in rows]}


@chat_event("edit", limit="CHAT_EDIT_RATE_LIMIT")
def on_edit(payload):
    slug = _slug(payload)
    user, project = _caller(slug)
    room = project_room(project.id)
    message = services.edit_message(user, project, payload.get("id"), payload.get("body"))
    data = services.message_payload(message, slug)
    db.session.close()
    socketio.emit("message_updated", data, to=room)
    return {"ok": True, "message": data}


@chat_event("delete", limit="CHAT_DELETE_RATE_LIMIT")
def on_delete(payload):
    slug = _slug(payload)
    user, project = _caller(slug)
    room = project_room(project.id)
    message = services.delete_message(user, project, payload.get("id"))
    data = services.message_payload(message, slug)
    db.session.close()
    socketio.emit("message_deleted", data, to=room)
    return {"ok": True, "message": data}


@chat_event("read", limit="CHAT_READ_RATE_LIMIT")
def on_read(payload):
    slug = _slug(payload)
    user, project = _caller(slug)
    services.mark_read(user, project, payload.get("id"))
    return {"ok": True}


@chat_event("typing", limit="CHAT_TYPING_RATE_LIMIT")
def on_typing(payload):
    slug = _slug(payload)
    caller, project = _caller(slug, "project.converse")
    project_id, user = project.id, {"id": caller.id, "name": caller.name}
    db.session.close()
    key, now = (request.sid, project_id), time.monotonic()
    if now - _last_typing.get(key, 0.0) < TYPING_INTERVAL:
        return {"ok": True, "throttled": True}
    _last_typing[key] = now
    socketio.emit("typing", {"project": slug, "user": user}, to=project_room(project_id),
                  skip_sid=request.sid)
    return {"ok": True}


def _on_disconnect(_user) -> None:
    sid = request.sid
    for key in [k for k in _last_typing if k[0] == sid]:
        _last_typing.pop(key, None)
    presence.forget_connection(sid)


realtime.ON_DISCONNECT.append(_on_disconnect)
