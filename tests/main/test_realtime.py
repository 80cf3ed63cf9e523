"""Socket.IO connections: anonymous refused, signed-in users get their own room."""
from app.core.realtime import emit_to_user

from ..conftest import socket_client_for


def test_anonymous_socket_connection_is_refused(app, client):
    socket = socket_client_for(app, client)
    assert not socket.is_connected()


def test_signed_in_user_receives_events_sent_to_their_room(app, signed_in, user):
    socket = socket_client_for(app, signed_in)
    assert socket.is_connected()
    emit_to_user(user.id, "ping", {"hello": "you"})
    received = socket.get_received()
    assert {"name": "ping", "args": [{"hello": "you"}], "namespace": "/"} in received
