"""The Socket.IO connection itself: who may connect, and the per-user room.

A connection without a signed-in user is refused. Each connection joins the internal room
`user:<id>`, used to push things to one person (notifications) wherever they are connected.
The user id is remembered per connection (`socket_user_id`), so that event handlers can check
the caller and their rights in one statement instead of reloading the session user each time.
Every event handler learns its caller from `socket_user_id`, which first re-checks that the
connection's sign-in session is still current and the account active (`app.core.connections`;
the auth feature supplies the check): a connection whose session ended is closed there and then.
Project rooms are the chat feature's business (app/chat/events.py). The Origin header is checked
by python-engineio against `ALLOWED_ORIGINS` (same origin when unset).
"""
import functools

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from ..extensions import db, socketio
from . import connections
from .errors import DomainError, RateLimited
from .metrics import SOCKET_EVENTS_REFUSED
from .ratelimit import within_rate_limit
from .text import check_payload


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def emit_to_user(user_id: int, event: str, payload: dict) -> None:
    """Send `event` to every live connection of one user (call after the commit)."""
    socketio.emit(event, payload, to=user_room(user_id))


#: sid -> (user id, sign-in session id) of each live connection of this process
_socket_users: dict[str, tuple[int, str | None]] = {}


def socket_user_id(sid: str) -> int | None:
    """Who opened connection `sid`, while their sign-in session is current; None once it has
    closed, or once they signed out or were disabled (the connection is then closed)."""
    entry = _socket_users.get(sid)
    if entry is None:
        return None
    if not connections.session_is_current(*entry):
        socketio.server.disconnect(sid, namespace="/")
        return None
    return entry[0]


#: callables(user) run after a connection is accepted (features add presence etc.)
ON_CONNECT: list = []
#: callables(user) run when a connection closes
ON_DISCONNECT: list = []


@socketio.on("connect")
def handle_connect(auth=None):
    if not current_user.is_authenticated:
        SOCKET_EVENTS_REFUSED.labels("connect", "SignedOut").inc()
        raise ConnectionRefusedError("Sign in first.")
    session_id = connections.session_of(current_user)
    if not connections.session_is_current(current_user.id, session_id):
        SOCKET_EVENTS_REFUSED.labels("connect", "SessionEnded").inc()
        raise ConnectionRefusedError("Sign in first.")
    join_room(user_room(current_user.id))
    for callback in ON_CONNECT:
        callback(current_user)
    _socket_users[request.sid] = (current_user.id, session_id)
    connections.remember(request.sid, current_user.id, session_id)
    return True


@socketio.on("disconnect")
def handle_disconnect(*_args):
    entry = _socket_users.get(request.sid)
    try:
        # by the connection, not current_user: a session that just ended loads no user
        if entry is not None:
            for callback in ON_DISCONNECT:
                callback(current_user)
    finally:
        _socket_users.pop(request.sid, None)
        if entry is not None:
            connections.forget(request.sid, entry[0])


def guarded_event(name: str, *, feature: str, limit: str | None = None, on_refused=None):
    """Register a socket handler that answers every failure with an ack instead of raising.

    Every string in the payload goes through the shared text check first; `limit` names the
    setting (e.g. CHAT_EDIT_RATE_LIMIT) the caller's event counts against (`ratelimit`).
    A refusal (a DomainError) rolls back, is counted, is offered to `on_refused(payload, error)`
    (the feature's own follow-up, e.g. leaving a room the caller lost) and becomes the ack;
    anything else is logged and answered with a generic error. The database session always ends.
    """
    def decorator(handler):
        @functools.wraps(handler)
        def wrapper(payload=None, *_args):
            try:
                check_payload(payload)
                if limit and not within_rate_limit(socket_user_id(request.sid), limit):
                    raise RateLimited()
                return handler(payload)
            except DomainError as error:
                db.session.rollback()
                SOCKET_EVENTS_REFUSED.labels(name, type(error).__name__).inc()
                if on_refused is not None:
                    on_refused(payload, error)
                return error.as_ack()
            except Exception:  # never let bad input take the handler down
                db.session.rollback()
                SOCKET_EVENTS_REFUSED.labels(name, "Error").inc()
                current_app.logger.exception("%s %s failed", feature, name)
                return {"ok": False, "error": _("Something went wrong; please try again.")}
            finally:
                db.session.remove()

        return socketio.on(name)(wrapper)

    return decorator
