"""Two real server processes behind one Redis: signing out on one closes, at once, the socket the
same browser session holds on the other, and every copy of the cookie stops working there too."""
import re
import threading
import uuid

import pytest
import requests
import socketio

from app.extensions import db

from ..chat.live_peers import sign_in
from ..databases import temporary_database_url
from ..factories import DEFAULT_PASSWORD, make_user
from ..live import LiveServer

pytestmark = [pytest.mark.multiprocess, pytest.mark.redis]


@pytest.fixture(scope="module")
def servers(tmp_path_factory, redis_url):
    env = {"SOCKETIO_CHANNEL": f"sessions-test-{uuid.uuid4().hex[:8]}"}
    root = tmp_path_factory.mktemp("sessions-cluster")
    with temporary_database_url(root, "sessions_mp") as url:
        a = LiveServer(root / "a", database_url=url, redis_url=redis_url, extra_env=env)
        b = LiveServer(root / "b", database_url=url, redis_url=redis_url, extra_env=env,
                       migrate=False)
        try:
            a.start()
            b.start()
            yield a, b
        finally:
            a.stop()
            b.stop()


def _open_socket(url: str, cookie: str) -> tuple[socketio.Client, threading.Event]:
    closed = threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("disconnect", lambda *args: closed.set())
    client.connect(url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=5)
    return client, closed


def _sign_out(url: str, cookie: str) -> None:
    page = requests.get(url + "/auth/profile", headers={"Cookie": cookie}, timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = requests.post(url + "/auth/logout", headers={"Cookie": cookie}, timeout=10,
                             data={"csrf_token": token}, allow_redirects=False)
    assert response.status_code == 302


def _signed_in(url: str, cookie: str) -> bool:
    response = requests.get(url + "/auth/profile", headers={"Cookie": cookie}, timeout=10,
                            allow_redirects=False)
    return response.status_code == 200


def test_signing_out_on_one_process_closes_the_socket_held_by_the_other(servers):
    a, b = servers
    with a.app().app_context():
        email = make_user().email
        db.session.remove()
    cookie = sign_in(a.url, email, DEFAULT_PASSWORD)
    other_browser = sign_in(a.url, email, DEFAULT_PASSWORD)
    socket_on_b, closed = _open_socket(b.url, cookie)
    other_socket, other_closed = _open_socket(b.url, other_browser)
    try:
        assert _signed_in(b.url, cookie)  # the copy of the cookie works on B…
        _sign_out(a.url, cookie)           # …until its owner signs out on A
        assert closed.wait(10), "the socket on B was not disconnected"
        assert not _signed_in(b.url, cookie) and not _signed_in(a.url, cookie)
        with pytest.raises(socketio.exceptions.ConnectionError):
            _open_socket(b.url, cookie)
        assert not other_closed.is_set() and _signed_in(b.url, other_browser)
    finally:
        for client in (socket_on_b, other_socket):
            client.disconnect()
