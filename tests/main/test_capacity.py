"""A process at its connection limit degrades instead of hanging: beyond MAX_CONNECTIONS new
Socket.IO connections are refused at once with a reason, pages and /healthz keep answering, and
the connections it holds keep receiving messages."""
import os
import time

import pytest
import requests
import websocket

from app.core import capacity

from ..chat.live_peers import ChatPeer, close_all, signed_in_team
from ..live import LiveServer

pytestmark = pytest.mark.multiprocess

LIMIT = 12


@pytest.fixture(scope="module", params=["eventlet", "gevent"])
def small_server(request, tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp(f"capacity-{request.param}"),
                        async_mode=request.param, extra_env={"MAX_CONNECTIONS": str(LIMIT)})
    server.start()
    try:
        slug, cookies = signed_in_team(server, 2, "Crowd")
        yield server, slug, cookies
    finally:
        server.stop()


def answers_within_a_second(server) -> None:
    assert requests.get(server.url + "/healthz", timeout=1).status_code == 200
    assert requests.get(server.url + "/", timeout=1).status_code == 200


def test_beyond_the_limit_connections_are_refused_and_everything_else_goes_on(small_server):
    server, slug, cookies = small_server
    held = []
    try:
        for n in range(LIMIT):
            chat = ChatPeer(f"held {n}", cookies[n % 2], slug, [server.url])
            chat.ensure_joined()
            held.append(chat)
            answers_within_a_second(server)
        health = requests.get(server.url + "/healthz", timeout=1).json()
        assert health["connections"]["open"] == LIMIT and health["connections"]["limit"] == LIMIT
        assert requests.get(server.url + "/readyz", timeout=1).status_code == 503

        for _attempt in range(5):  # refused at once, by both transports, with the reason
            polling = requests.get(server.url + "/socket.io/?EIO=4&transport=polling",
                                   headers={"Cookie": cookies[0]}, timeout=1)
            assert polling.status_code == 503
            assert polling.json()["error"] == "busy"
            assert int(polling.headers["Retry-After"]) >= capacity.RETRY_AFTER
            with pytest.raises(websocket.WebSocketBadStatusException) as refused:
                websocket.create_connection(
                    server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                    header=[f"Cookie: {cookies[0]}"], timeout=1)
            assert refused.value.status_code == 503
            answers_within_a_second(server)
        assert requests.get(server.url + "/healthz", timeout=1).json()["connections"]["refused"] >= 10

        sent = held[0].send("still here")  # the held connections still talk
        for chat in held:
            assert chat.wait_for(lambda p: sent in p.view, timeout=10), chat.name

        held.pop().close()  # room again: a new connection is accepted
        late = ChatPeer("late", cookies[1], slug, [server.url])
        late.ensure_joined()
        held.append(late)
        assert late.wait_for(lambda p: sent in p.view)  # caught up on join
    finally:
        close_all(held)


def test_the_server_pool_leaves_room_for_http_beside_the_sockets():
    assert capacity.server_options("eventlet", 1000) == {
        "max_size": 1000 + capacity.HTTP_RESERVE, "keepalive": capacity.KEEPALIVE_SECONDS}
    assert capacity.server_options("gevent", 1000) == {"spawn": 1000 + capacity.HTTP_RESERVE}


def test_the_default_limit_follows_descriptors_and_memory():
    assert capacity.default_max_connections(fd_limit=1024, memory=64 << 30) == 1024 - capacity.FD_RESERVE
    by_memory = int((1 << 30) * capacity.MEMORY_SHARE / capacity.BYTES_PER_CONNECTION)
    assert capacity.default_max_connections(fd_limit=1 << 20, memory=1 << 30) == by_memory


def test_under_gevent_a_websocket_holds_two_descriptors_and_the_default_limit_counts_them():
    assert capacity.default_max_connections(fd_limit=20_000, memory=64 << 30,
                                            fds_per_connection=2) == (20_000 - capacity.FD_RESERVE) // 2
    assert capacity.FDS_PER_CONNECTION == {"eventlet": 1, "gevent": 2}


def test_each_held_websocket_costs_the_descriptors_the_limit_assumes(small_server):
    server, _slug, cookies = small_server
    mode = server.async_mode
    fds = lambda: len(os.listdir(f"/proc/{server.process.pid}/fd"))  # noqa: E731
    open_now = lambda: requests.get(server.url + "/healthz", timeout=1).json()["connections"]["open"]  # noqa: E731
    deadline = time.monotonic() + 10
    while open_now() and time.monotonic() < deadline:  # the last test's sockets, still closing
        time.sleep(0.05)
    before, held = fds(), []
    try:
        for _n in range(8):
            ws = websocket.create_connection(
                server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                header=[f"Cookie: {cookies[0]}"], timeout=5)
            assert ws.recv().startswith("0")  # the Engine.IO handshake
            held.append(ws)
        # give or take the odd HTTP keep-alive connection of the fixture closing meanwhile
        assert abs((fds() - before) - 8 * capacity.FDS_PER_CONNECTION[mode]) <= 2
    finally:
        for ws in held:
            ws.close()
