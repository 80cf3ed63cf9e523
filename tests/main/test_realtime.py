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


def test_socket_events_reuse_the_session_decoded_at_connect(app, signed_in, monkeypatch):
    from app.core.sessions import SessionInterface

    decoded = []
    original = SessionInterface.get_signing_serializer
    monkeypatch.setattr(SessionInterface, "get_signing_serializer",
                        lambda self, app_: decoded.append(1) or original(self, app_))
    socket = socket_client_for(app, signed_in)
    assert socket.is_connected() and len(decoded) == 1  # the connect reads the cookie
    for _ in range(3):
        ack = socket.emit("join", {"project": "no-such-project", "after": None}, callback=True)
        assert ack["ok"] is False
    assert len(decoded) == 1  # …and the events after it do not verify it again
    assert signed_in.get("/projects/").status_code == 200  # HTTP requests still decode theirs
    assert len(decoded) > 1


def test_every_app_in_a_process_gets_every_socket_handler(tmp_path):
    """Handlers of features imported by the first create_app reach later apps' servers too."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("from app import create_app\nfrom app.extensions import socketio\n"
            "for _ in range(2):\n    create_app('testing')\n"
            "print(' '.join(sorted(socketio.server.handlers['/'])))")
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "SECRET_KEY": "test",
           "TEST_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, cwd=str(Path(__file__).resolve().parents[2]), timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    handlers = set(result.stdout.split())
    assert {"connect", "disconnect", "join", "message", "history", "typing"} <= handlers
