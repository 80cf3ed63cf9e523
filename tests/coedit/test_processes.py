"""Real server processes: a SIGKILL loses no acknowledged update; two processes with Redis
converge, and a process that did not hold the document catches up from the database."""
import random
import threading
import time
import uuid

import pytest

from app.documents import services
from app.documents.coedit import state
from app.documents.models import Document
from app.extensions import db

from ..chat.live_peers import sign_in
from ..databases import temporary_database_url
from ..factories import DEFAULT_PASSWORD, make_project, make_user
from ..live import LiveServer
from .live_editor import LiveEditor

pytestmark = [pytest.mark.multiprocess]


def _team(server, people=2):
    with server.app().app_context():
        users = [make_user(f"Editor {n}") for n in range(people)]
        project = make_project(lead=users[0], members={"member": users[1:]})
        document = services.create_document(users[0], project, title="Labels", body="Start\n")
        slug, doc_id, emails = project.slug, document.id, [u.email for u in users]
        db.session.remove()
    return slug, doc_id, [sign_in(server.url, email, DEFAULT_PASSWORD) for email in emails]


def _stored_text(server, doc_id) -> str:
    """The document as a fresh process would load it: snapshot + updates, from the database."""
    app = server.app()
    with app.app_context():
        state.release(doc_id)
        text = state.open_document(db.session.get(Document, doc_id)).body
        state.release(doc_id)
        db.session.remove()
    return text


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    root = tmp_path_factory.mktemp("coedit-kill")
    with temporary_database_url(root, "coedit_kill") as url:
        server = LiveServer(root / "a", database_url=url)
        server.start()
        try:
            yield server
        finally:
            server.stop()


def test_a_sigkill_loses_no_acknowledged_update(single):
    slug, doc_id, (cookie, _other) = _team(single)
    editor = LiveEditor(cookie, slug, doc_id)
    editor.connect(single.url)
    stop_at = random.uniform(0.5, 2.0)
    killer = threading.Timer(stop_at, single.kill)
    killer.start()
    n = 0
    deadline = time.monotonic() + 30
    while single.process.poll() is None and time.monotonic() < deadline:
        editor.type_token(f"<{n}>")
        n += 1
    killer.join()
    editor.type_token("<offline>", send=False)  # typed while the server is down
    assert editor.acked, "no update was acknowledged before the kill"
    stored = _stored_text(single, doc_id)
    lost = [token for token in editor.acked if token not in stored]
    assert lost == []
    single.start()
    editor.disconnect()
    editor.connect(single.url)  # the reconnect sends everything the server lacks
    assert _stored_text(single, doc_id) == editor.body()
    assert "<offline>" in editor.body()
    editor.disconnect()


@pytest.fixture(scope="module")
def pair(tmp_path_factory, redis_url):
    root = tmp_path_factory.mktemp("coedit-pair")
    env = {"SOCKETIO_CHANNEL": f"coedit-{uuid.uuid4().hex[:8]}"}
    with temporary_database_url(root, "coedit_pair") as url:
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


@pytest.mark.redis
def test_two_processes_with_redis_converge(pair):
    a, b = pair
    slug, doc_id, (cookie_a, cookie_b) = _team(a)
    on_a, on_b = LiveEditor(cookie_a, slug, doc_id), LiveEditor(cookie_b, slug, doc_id)
    on_a.connect(a.url)
    on_b.connect(b.url)

    def typist(editor, name):
        for n in range(40):
            assert editor.type_token(f"{name}{n}.")

    threads = [threading.Thread(target=typist, args=(e, name))
               for e, name in ((on_a, "a"), (on_b, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [f"a{n}." for n in range(40)] + [f"b{n}." for n in range(40)]
    for editor in (on_a, on_b):
        assert editor.wait_for(lambda text: all(t in text for t in everything)), editor.body()
    assert on_a.body() == on_b.body()
    # Process A held the document all along; a newcomer on B and the database agree with it.
    late = LiveEditor(cookie_b, slug, doc_id)
    late.connect(b.url)
    assert late.body() == on_a.body() == _stored_text(a, doc_id)
    for editor in (on_a, on_b, late):
        editor.disconnect()
