"""The Socket.IO connection itself: who may connect, and the per-user room.

A connection without a signed-in user is refused. Each connection joins the internal room
`user:<id>`, used to push things to one person (notifications) wherever they are connected.
The user id is remembered per connection (`socket_user_id`), so that event handlers can check
the caller and their rights in one statement instead of reloading the session user each time.
Project rooms are the chat feature's business (app/chat/events.py). The Origin header is checked
by python-engineio against `ALLOWED_ORIGINS` (same origin when unset).
"""
from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from ..extensions import socketio


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def emit_to_user(user_id: int, event: str, payload: dict) -> None:
    """Send `event` to every live connection of one user (call after the commit)."""
    socketio.emit(event, payload, to=user_room(user_id))


#: sid -> user id of each live connection of this process
_socket_users: dict[str, int] = {}


def socket_user_id(sid: str) -> int | None:
    """Who opened connection `sid` (None once it has closed)."""
    return _socket_users.get(sid)


#: callables(user) run after a connection is accepted (features add presence etc.)
ON_CONNECT: list = []
#: callables(user) run when a connection closes
ON_DISCONNECT: list = []


@socketio.on("connect")
def handle_connect(auth=None):
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("Sign in first.")
    join_room(user_room(current_user.id))
    for callback in ON_CONNECT:
        callback(current_user)
    _socket_users[request.sid] = current_user.id
    return True


@socketio.on("disconnect")
def handle_disconnect(*_args):
    try:
        if current_user.is_authenticated:
            for callback in ON_DISCONNECT:
                callback(current_user)
    finally:
        _socket_users.pop(request.sid, None)
