"""Shared fixtures: an app per test on a schema built once per session, clients, Redis.

The database is SQLite in a session temp dir, or PostgreSQL when TEST_DATABASE_URL is set.
Between tests every table is emptied (fast) instead of rebuilding the schema.
Each HTTP request and socket event runs in its own app context, as in production, so `g`,
the current user and the SQLAlchemy session never leak from one request into the next.
"""
import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_socketio.test_client import SocketIOTestClient
from sqlalchemy import text

os.environ["APP_ENV"] = "testing"
# A Socket.IO channel (and Redis key prefix) of this test run only: live servers inherit it, so
# two runs sharing one Redis (CI runs SQLite and PostgreSQL side by side) never hear each other.
os.environ.setdefault("SOCKETIO_CHANNEL", f"test-{uuid.uuid4().hex[:8]}")

from app import create_app  # noqa: E402
from app.extensions import db, socketio  # noqa: E402

from . import factories, speedups  # noqa: E402

speedups.install_routing_cache()

REQUIRE_REDIS = os.environ.get("REQUIRE_REDIS") == "1"


def pytest_configure(config):
    os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")


def pytest_addoption(parser):
    parser.addoption("--prod-check", action="store_true",
                     help="run the production check of tests/prod (make prod-check) and only it")


def pytest_collection_modifyitems(config, items):
    """tests/prod (marked `prod`) runs under --prod-check only, and then nothing else does."""
    wanted = config.getoption("--prod-check")
    chosen = [item for item in items if bool(item.get_closest_marker("prod")) == wanted]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in chosen])
        items[:] = chosen


class IsolatedClient(FlaskClient):
    """A test client whose every request gets a fresh app context (fresh `g` and session)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()  # the test's own session sees what the request committed
        return response


class IsolatedSocketClient(SocketIOTestClient):
    """The Flask-SocketIO test client, each event in a fresh app context like the real server."""

    def _isolated(self, method, *args, **kwargs):
        with self.app.app_context():
            result = method(*args, **kwargs)
        db.session.expire_all()
        return result

    def connect(self, *args, **kwargs):
        return self._isolated(super().connect, *args, **kwargs)

    def disconnect(self, *args, **kwargs):
        return self._isolated(super().disconnect, *args, **kwargs)

    def emit(self, *args, **kwargs):
        return self._isolated(super().emit, *args, **kwargs)

    def get_received(self, *args, **kwargs):
        return self._isolated(super().get_received, *args, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    from config import _normalise_database_url

    return _normalise_database_url(os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    ))


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    os.environ["DATA_DIR"] = str(tmp_path_factory.mktemp("schema-data"))
    speedups.install_engine_sharing(database_url)
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return database_url


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    postgresql = db.engine.dialect.name == "postgresql"
    if postgresql:
        # DELETE with the foreign-key triggers off, then every sequence back to 1: what TRUNCATE
        # … RESTART IDENTITY does, in 1/30 of the time (TRUNCATE makes new files for 50+ tables).
        db.session.execute(text("SET session_replication_role = replica"))
    for table in tables:
        db.session.execute(table.delete())
    if postgresql:
        db.session.execute(text("SET session_replication_role = DEFAULT"))
        db.session.execute(text(
            "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'S' AND n.nspname = current_schema()"))
    db.session.commit()


@pytest.fixture
def app(_schema, tmp_path, monkeypatch):
    """A testing app on a temporary DATA_DIR, with an app context pushed for the test body."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    application = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": _schema})
    application.test_client_class = IsolatedClient
    application.jinja_env.bytecode_cache = speedups.templates
    with application.app_context():
        yield application
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Signs a test client in and out: `auth.login(user)` reads like a sentence."""

    def __init__(self, client):
        self.client = client

    def login(self, user, password: str = factories.DEFAULT_PASSWORD):
        response = self.client.post("/auth/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def user(app):
    return factories.make_user()


@pytest.fixture
def signed_in(client, auth, user):
    """A client signed in as `user`."""
    auth.login(user)
    return client


def client_for(app, user):
    """A fresh client signed in as `user` (for tests with several people)."""
    client = app.test_client()
    AuthActions(client).login(user)
    return client


def socket_client_for(app, http_client, **kwargs) -> IsolatedSocketClient:
    """A Socket.IO test client that shares `http_client`'s session cookie."""
    return IsolatedSocketClient(app, socketio, flask_test_client=http_client, **kwargs)


# --- Redis ----------------------------------------------------------------------------------

def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """REDIS_URL if it answers, else a redis-server started on a free port, else skip."""
    url = os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    if url and _redis_answers(url):
        yield url
        return
    binary = shutil.which("redis-server")
    if not binary:
        message = "Redis is needed: set REDIS_URL or install redis-server"
        if REQUIRE_REDIS:
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not _redis_answers(url):
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("redis-server did not start")
        time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def uploads_dir(app) -> Path:
    return app.config["UPLOAD_DIR"]


# --- object storage -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server as a real process on a free port (tests/s3.py)."""
    from .s3 import start_s3_server, use_s3_credentials

    use_s3_credentials()
    server = start_s3_server(free_port())
    yield server
    server.stop()


@pytest.fixture
def use_s3(app, s3_server):
    """Put this test app's blobs in a fresh bucket: returns (server, bucket, prefix)."""
    from .s3 import s3_settings

    settings = s3_settings(s3_server)
    app.config.update(settings)
    app.extensions.pop("blob_store", None)
    bucket, _, prefix = settings["STORAGE_URL"].removeprefix("s3://").partition("/")
    return s3_server, bucket, prefix
