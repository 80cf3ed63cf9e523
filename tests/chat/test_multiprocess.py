"""Two real server processes behind one Redis behave as one chat, and a crash loses nothing."""
import threading
import uuid

import pytest
import requests
from sqlalchemy import func, select

from app.chat.models import ChatMessage
from app.extensions import db

from ..databases import temporary_database_url
from ..factories import DEFAULT_PASSWORD, make_project, make_user
from ..live import LiveServer
from .live_peers import ChatPeer, sign_in
from .redis_gate import SubscribeGate

pytestmark = [pytest.mark.multiprocess, pytest.mark.redis]


@pytest.fixture(scope="module", params=["eventlet", "gevent"])
def async_mode(request):
    return request.param


@pytest.fixture(scope="module")
def shared_database_url(tmp_path_factory, async_mode):
    """A fresh database both processes share: PostgreSQL if TEST_DATABASE_URL says so."""
    with temporary_database_url(tmp_path_factory.mktemp("shared"), "chat_mp") as url:
        yield url


@pytest.fixture(scope="module")
def servers(tmp_path_factory, shared_database_url, redis_url, async_mode):
    """Servers A and B (one async mode) on one database and a Redis channel of their own."""
    env = {"SOCKETIO_CHANNEL": f"chat-test-{uuid.uuid4().hex[:8]}"}
    root = tmp_path_factory.mktemp(f"cluster-{async_mode}")
    a = LiveServer(root / "a", database_url=shared_database_url, redis_url=redis_url,
                   async_mode=async_mode, extra_env=env)
    b = LiveServer(root / "b", database_url=shared_database_url, redis_url=redis_url,
                   async_mode=async_mode, extra_env=env, migrate=False)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture
def cluster(servers):
    """The two servers and a fresh project of three people."""
    a, b = servers
    if a.process.poll() is not None:  # a previous test killed it and failed before restarting
        a.start()
    app = a.app()
    with app.app_context():
        people = [make_user(f"Person {n}") for n in range(3)]
        project = make_project(lead=people[0], members={"member": people[1:]})
        team = {"emails": [p.email for p in people], "slug": project.slug, "app": app,
                "project_id": project.id}
        db.session.remove()
    return a, b, team


@pytest.fixture
def gate(redis_url):
    """A proxy to the test Redis that can hold back a process's channel subscription."""
    gate = SubscribeGate(redis_url)
    yield gate
    gate.stop()


@pytest.fixture
def server_c(servers, gate, tmp_path):
    """A third process of the cluster whose Redis traffic goes through the gate (not started)."""
    a, _b = servers
    c = LiveServer(tmp_path / "c", database_url=a.database_url, redis_url=gate.url,
                   async_mode=a.async_mode, extra_env=a.extra_env, migrate=False)
    yield c
    c.stop()


def peer(team, server_urls, index, name):
    cookie = sign_in(server_urls[0], team["emails"][index], DEFAULT_PASSWORD)
    chat = ChatPeer(name, cookie, team["slug"], server_urls)
    chat.ensure_joined()
    return chat


def test_messages_and_presence_span_both_processes(cluster):
    a, b, team = cluster
    on_a = peer(team, [a.url], 0, "on A")
    on_b = peer(team, [b.url], 1, "on B")
    try:
        assert on_a.wait_for(lambda p: len(p.presence) == 2)
        assert len(on_b.presence) == 2
        sent = on_a.send("from A")
        assert on_b.wait_for(lambda p: sent in p.view)
        answer = on_b.send("from B")
        assert on_a.wait_for(lambda p: answer in p.view)
        assert sent < answer
        on_b.close()
        assert on_a.wait_for(lambda p: len(p.presence) == 1)
    finally:
        on_a.close()
        on_b.close()


def test_foreign_origin_is_refused_at_the_handshake(cluster):
    a, _b, team = cluster
    cookie = sign_in(a.url, team["emails"][0], DEFAULT_PASSWORD)
    handshake = a.url + "/socket.io/?EIO=4&transport=polling"
    evil = requests.get(handshake, headers={"Cookie": cookie, "Origin": "https://evil.example"},
                        timeout=10)
    assert evil.status_code == 400
    same = requests.get(handshake, headers={"Cookie": cookie, "Origin": a.url}, timeout=10)
    assert same.status_code == 200


def test_no_acknowledged_message_is_lost_when_a_process_is_killed(cluster):
    a, b, team = cluster
    peers = [
        peer(team, [a.url], 0, "stays with A"),          # waits for A to come back
        peer(team, [a.url, b.url], 1, "moves to B"),     # fails over to B
        peer(team, [b.url], 2, "on B"),
    ]
    per_peer = 25
    progress = threading.Condition()
    errors = []

    def keep_sending(chat):
        try:
            for n in range(per_peer):
                chat.send(f"{chat.name} #{n}")
                with progress:
                    progress.notify_all()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def total_acked():
        return sum(len(p.acked) for p in peers)

    senders = [threading.Thread(target=keep_sending, args=(p,)) for p in peers]
    try:
        for thread in senders:
            thread.start()
        with progress:
            assert progress.wait_for(lambda: total_acked() >= 15, timeout=60)
        a.kill()
        with progress:
            assert progress.wait_for(lambda: total_acked() >= 35 or errors, timeout=60)
        a.start()
        for thread in senders:
            thread.join(timeout=120)
        assert not errors, errors
        acked_ids = sorted(i for p in peers for i in p.acked.values())
        assert len(acked_ids) == len(set(acked_ids)) == per_peer * len(peers)
        for chat in peers:
            chat.ensure_joined()
            assert chat.wait_for(lambda p: set(acked_ids) <= set(p.view)), (
                chat.name, sorted(set(acked_ids) - set(chat.view)))
            assert sorted(chat.view) == acked_ids  # each exactly once, nothing unacknowledged
            in_id_order = [chat.view[i]["seq"] for i in acked_ids]
            assert in_id_order == list(range(1, len(acked_ids) + 1))  # commit order, no gaps
        assert peers[0].connections >= 2 and peers[1].connections >= 2
        with team["app"].app_context():
            stored = db.session.execute(
                select(func.count(ChatMessage.id), func.count(func.distinct(ChatMessage.client_id)))
                .where(ChatMessage.project_id == team["project_id"])
            ).one()
            db.session.remove()
        assert tuple(stored) == (len(acked_ids), len(acked_ids))  # stored at most once
    finally:
        for chat in peers:
            chat.close()


def test_a_join_reads_the_catch_up_only_once_its_process_hears_the_channel(cluster, gate, server_c):
    """The interleaving that lost message 40, injected: a restarted process answers a join
    before its Redis subscription is live, and another process publishes a message committed
    after that join's read. The join must wait for the subscription instead."""
    _a, b, team = cluster
    gate.close()
    server_c.start()
    writer = peer(team, [b.url], 1, "on B")
    reader = ChatPeer("on C", sign_in(server_c.url, team["emails"][2], DEFAULT_PASSWORD),
                      team["slug"], [server_c.url])
    joining = threading.Thread(target=reader.ensure_joined, daemon=True)
    try:
        joining.start()
        assert gate.held.wait(15), "C never subscribed"
        joining.join(timeout=1)  # unfixed, the reader has joined (and read) by now
        sent = writer.send("committed while C cannot hear the channel")
        gate.open()
        joining.join(timeout=30)
        assert reader.joined
        assert reader.wait_for(lambda p: sent in p.view, timeout=10), sorted(reader.view)
        assert reader.rejoins == 0  # delivered by the join itself, not healed by a gap
    finally:
        gate.open()
        reader.close()
        writer.close()


def test_clients_resync_when_their_process_hears_the_channel_again(cluster, gate, server_c):
    """Redis drops a process's subscription (restart, network blip): what was published while
    it could not hear reaches its clients once it subscribes again, by a `resync`."""
    _a, b, team = cluster
    server_c.start()
    reader = peer(team, [server_c.url], 2, "on C")
    writer = peer(team, [b.url], 1, "on B")
    try:
        before = writer.send("heard by everyone")
        assert reader.wait_for(lambda p: before in p.view)
        gate.close()
        gate.cut()
        assert gate.held.wait(30), "C never subscribed again"
        lost = writer.send("published while C is deaf")
        gate.open()
        assert reader.wait_for(lambda p: lost in p.view, timeout=30), sorted(reader.view)
        assert reader.rejoins >= 1
        assert sorted(reader.view) == sorted(writer.view)
    finally:
        gate.open()
        reader.close()
        writer.close()
