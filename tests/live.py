"""A real server process for browser journeys and multi-process tests: `python wsgi.py`.

`LiveServer(tmp_path).start()` migrates a fresh database with `flask db upgrade` (a fresh SQLite
file is a copy of one that `flask db upgrade` migrated once per test run), starts the
server on a free port, and waits for /healthz. `server.app()` gives an in-process app on the same
database so a test can create data with the factories; `kill()`/`start()` for crash tests.
"""
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from app import create_app

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _upgrade(env: dict) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=120,
    )


_template: dict[str, Path] = {}


def _migrated_sqlite(env: dict) -> Path:
    """A SQLite file `flask db upgrade` migrated, once per test run (3-8 s a time otherwise)."""
    if "path" not in _template:
        folder = Path(tempfile.mkdtemp(prefix="live-template-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "live.db"
        _upgrade({**env, "DATA_DIR": str(folder), "DATABASE_URL": f"sqlite:///{path}"})
        _template["path"] = path
    return _template["path"]


class LiveServer:
    def __init__(self, data_dir: Path, *, port: int | None = None, database_url: str | None = None,
                 redis_url: str | None = None, async_mode: str = "eventlet",
                 extra_env: dict | None = None, migrate: bool = True):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or _free_port()
        self.database_url = database_url or f"sqlite:///{self.data_dir / 'live.db'}"
        self.redis_url = redis_url
        self.async_mode = async_mode
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = self.data_dir / f"server-{self.port}.log"
        self._app = None
        if migrate:
            self.migrate()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL",)}
        env.update({
            "APP_ENV": "development",
            "DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "live-test-secret-key",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "SOCKETIO_ASYNC_MODE": self.async_mode,
            "RATELIMIT_ENABLED": "0",
            "PYTHONUNBUFFERED": "1",
        })
        env.pop("REDIS_URL", None)
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update(self.extra_env)
        return env

    def migrate(self) -> None:
        own_file = self.data_dir / "live.db"
        if self.database_url == f"sqlite:///{own_file}" and not own_file.exists():
            shutil.copyfile(_migrated_sqlite(self.env()), own_file)
            return
        _upgrade(self.env())

    def start(self, timeout: float = 90) -> "LiveServer":
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "wsgi.py"], cwd=ROOT, env=self.env(), stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer in {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL, as a crash: no clean shutdown."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._app is not None:
            with self._app.app_context():
                from app.extensions import db

                db.engine.dispose()

    def app(self):
        """An in-process app on the server's database, for creating data with factories."""
        if self._app is None:
            self._app = create_app("testing", overrides={
                "SQLALCHEMY_DATABASE_URI": self.database_url,
                "UPLOAD_DIR": self.data_dir / "uploads",
                "INDEX_DIR": self.data_dir / "index",
            })
        return self._app
