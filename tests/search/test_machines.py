"""Every machine keeps its own index, fed from the change log in the database: two "machines"
(two DATA_DIRs sharing only the database) see each other's publishing within seconds; a rebuild
swaps a new index in while queries keep answering."""
import threading
import time

import pytest
from sqlalchemy import select

from app import create_app
from app.archive.models import CaseStudy
from app.archive.services import withdraw_case_study
from app.extensions import db
from app.search.follower import start_follower
from app.search.indexer import live_dir
from app.search.records import EXTENSION_KEY, RecordSource, register_record_source
from app.search.services import index_lag, rebuild_index, search_case_studies
from tests.factories import make_user

from .factories import make_record
from .test_change_log import publish


def wait_until(condition, timeout: float = 30.0) -> bool:
    """Poll until `condition()` holds (no fixed sleep); False after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


@pytest.fixture
def other_machine(app, tmp_path_factory, monkeypatch):
    """A second machine: its own DATA_DIR (so its own index), the same database, and a
    follower thread as every server process runs."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path_factory.mktemp("machine-b")))
    machine = create_app("testing", overrides={
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_POLL_INTERVAL": 0.1})
    assert machine.config["INDEX_DIR"] != app.config["INDEX_DIR"]
    follower = start_follower(machine)
    yield machine
    follower.stop()
    with machine.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_new_machine_of_a_green_server_builds_its_index_in_a_process_of_its_own(
        app, tmp_path_factory, monkeypatch):
    """Under eventlet a whole build would stop the process answering: the follower has
    `flask search drain` build it (the child reads the same settings from the environment)."""
    publish(slug="amber", title="Amber workshop of Gdańsk", language="en", country="PL")
    monkeypatch.setenv("DATA_DIR", str(tmp_path_factory.mktemp("machine-c")))
    monkeypatch.setenv("APP_ENV", "testing")
    monkeypatch.setenv("TEST_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    machine = create_app("testing", overrides={"SEARCH_POLL_INTERVAL": 0.1})
    follower = start_follower(machine, build_elsewhere=True)
    try:
        assert wait_until(lambda: found_on(machine, "amber") == ["amber"], timeout=120)
        assert follower.builds_elsewhere == 1
        publish(slug="loom", title="Amber and loom archive", language="en", country="IT")
        assert wait_until(lambda: found_on(machine, "amber") == ["amber", "loom"])  # then follows
        assert follower.builds_elsewhere == 1
    finally:
        follower.stop()
        with machine.app_context():
            db.session.remove()
            db.engine.dispose()


def found_on(machine, q: str) -> list[str]:
    with machine.app_context():
        try:
            return sorted(hit.slug for hit in search_case_studies(q, {}, 1, 50).hits)
        finally:
            db.session.remove()


def test_published_on_one_machine_is_found_on_the_other_and_withdrawn_from_both(
        app, other_machine):
    admin = make_user(admin=True)
    publish(slug="amber", title="Amber workshop of Gdańsk", language="en", country="PL")
    assert found_on(app, "amber") == ["amber"]
    assert wait_until(lambda: found_on(other_machine, "amber") == ["amber"])
    with other_machine.app_context():
        assert wait_until(lambda: index_lag() == 0)
    publish(slug="loom", title="Amber and loom archive", language="en", country="IT")
    assert wait_until(lambda: found_on(other_machine, "amber") == ["amber", "loom"])

    withdraw_case_study(admin, db.session.scalar(select(CaseStudy).where(CaseStudy.slug == "amber")))
    assert found_on(app, "amber") == ["loom"]
    assert wait_until(lambda: found_on(other_machine, "amber") == ["loom"])
    assert live_dir() != None  # noqa: E711
    with other_machine.app_context():
        assert live_dir().parent == other_machine.config["INDEX_DIR"]


def test_queries_keep_answering_while_the_index_is_rebuilt(app):
    held = {n: make_record(id=n, slug=f"case-{n}", title=f"Tapestry {n}" if n % 10 == 0 else
                           f"Case {n}", body="Weaving and looms. " * 40) for n in range(1, 401)}
    archive_source = app.extensions[EXTENSION_KEY]
    register_record_source(app, RecordSource(
        count=lambda: len(held), iter_records=lambda: iter(list(held.values())),
        records_for=lambda _session, ids: {i: held[i] for i in ids if i in held}))
    try:
        rebuild_index()
        expected = sorted(f"case-{n}" for n in range(10, 401, 10))
        first = live_dir()
        stop, failures, answered = threading.Event(), [], []

        def ask():
            with app.app_context():
                while not stop.is_set():
                    try:
                        results = search_case_studies("tapestry", {}, 1, 50)
                        slugs = sorted(hit.slug for hit in results.hits)
                        if slugs != expected or results.total != 40:
                            failures.append(slugs)
                        answered.append(1)
                    except Exception as error:  # noqa: BLE001  (recorded, asserted below)
                        failures.append(repr(error))

        readers = [threading.Thread(target=ask) for _ in range(2)]
        for reader in readers:
            reader.start()
        try:
            assert rebuild_index() == 400
            assert rebuild_index() == 400
        finally:
            stop.set()
            for reader in readers:
                reader.join(30)
        assert failures == []
        assert len(answered) > 2
        assert live_dir() != first
        assert search_case_studies("tapestry", {}, 1, 50).total == 40
    finally:
        register_record_source(app, archive_source)
