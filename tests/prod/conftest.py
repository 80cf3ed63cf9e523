"""`make prod-check`: the README's production shape, started for real (tests/prod/cluster.py).

These tests run only with `pytest tests/prod --prod-check` (tests/conftest.py leaves them out
otherwise): they need nginx, PostgreSQL (TEST_DATABASE_URL), Redis and Chromium, and start
their own processes. Every test module here is marked `prod` (`pytestmark`).
"""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import free_port
from ..databases import temporary_database_url
from ..e2e.conftest import CHROMIUM_ARGS, _chromium_path
from ..s3 import CREDENTIALS, start_s3_server
from .cluster import ROOT, AppProcess, Nginx, readme_environment

#: what the README's environment names that this machine must replace: hosts, paths, secrets
LOCAL_VALUES = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DATA_DIR", "BASE_URL", "ALLOWED_ORIGINS",
                "STORAGE_URL", "S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "AWS_DEFAULT_REGION")


class Cluster:
    def __init__(self, a: AppProcess, b: AppProcess, nginx: Nginx, database_url: str,
                 data_dir: Path):
        self.a, self.b, self.nginx = a, b, nginx
        self.database_url = database_url
        self.data_dir = data_dir  # the factories' own "machine"
        self._app = None

    @property
    def url(self) -> str:
        return self.nginx.url

    def processes(self) -> list[AppProcess]:
        return [self.a, self.b]

    def app(self):
        """An in-process app on the cluster's database, to create people with the factories."""
        if self._app is None:
            from app import create_app

            self._app = create_app("testing", overrides={
                "SQLALCHEMY_DATABASE_URI": self.database_url,
                "UPLOAD_DIR": self.data_dir / "uploads", "INDEX_DIR": self.data_dir / "index"})
        return self._app

    def dispose(self) -> None:
        if self._app is not None:
            from app.extensions import db

            with self._app.app_context():
                db.engine.dispose()


def process_environment(local: dict[str, str]) -> dict[str, str]:
    """The README's environment with this machine's hosts, paths and secrets."""
    readme = readme_environment()
    assert set(LOCAL_VALUES) <= set(readme), "the README's environment lost a setting"
    assert set(local) == set(LOCAL_VALUES)
    env = {k: v for k, v in os.environ.items()
           if k not in ("TEST_DATABASE_URL", "APP_ENV", "REDIS_URL", "DATABASE_URL")}
    env.update(readme)
    env.update(local)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture(scope="session")
def postgres_database(tmp_path_factory):
    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"):
        pytest.fail("make prod-check runs on PostgreSQL: set TEST_DATABASE_URL")
    with temporary_database_url(tmp_path_factory.mktemp("prod-db"), "prodcheck") as url:
        yield url


@pytest.fixture(scope="session")
def s3_server():
    server = start_s3_server(free_port())
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory, postgres_database, redis_url, s3_server):
    root = tmp_path_factory.mktemp("prod")
    nginx_folder = root / "nginx"
    nginx_folder.mkdir()
    ports = [free_port() for _ in range(2)]
    nginx = Nginx(nginx_folder, ports)
    shared = {
        "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": postgres_database,
        "REDIS_URL": redis_url, "BASE_URL": nginx.url, "ALLOWED_ORIGINS": nginx.url,
        "STORAGE_URL": f"s3://{s3_server.new_bucket()}/blobs", "S3_ENDPOINT_URL": s3_server.url,
        **CREDENTIALS}

    def machine(name: str) -> dict[str, str]:  # two "machines": a DATA_DIR each, no disk shared
        return process_environment({**shared, "DATA_DIR": str(root / name)})

    migrated = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
                              cwd=ROOT, env=machine("migrate"), capture_output=True, text=True,
                              timeout=180)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    a = AppProcess("app-a", ports[0], machine("machine-a"), root)
    b = AppProcess("app-b", ports[1], machine("machine-b"), root)
    cluster = Cluster(a, b, nginx, postgres_database, root / "factories")
    cluster.s3, cluster.storage_url = s3_server, shared["STORAGE_URL"]
    try:
        a.start()
        b.start()
        a.wait_ready()
        b.wait_ready()
        nginx.start()
        yield cluster
    finally:
        nginx.stop()
        a.stop()
        b.stop()
        cluster.dispose()


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        pytest.fail("make prod-check needs Chromium (apt-get install chromium, or CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()
