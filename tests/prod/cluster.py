"""The production shape of the README, run on this machine: nginx (TLS, sticky sessions) in front
of two gunicorn + eventlet processes on PostgreSQL and Redis.

The nginx server block and the processes' environment are read from README.md ("Production"),
so the guide and this check cannot drift apart: only the values that name a machine (hosts,
ports, paths, secrets) are replaced by this machine's. nginx runs as the current user from a
temporary folder (its own config, pid, logs and temp paths) on free ports; no system service.
"""
import getpass
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from ..conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def readme_block(marker: str) -> str:
    """The fenced block that follows `<!-- prod-check: MARKER -->` in the README."""
    text = README.read_text()
    found = re.search(rf"<!-- prod-check: {marker} -->\s*```[a-z]*\n(.*?)\n\s*```", text, re.S)
    assert found, f"README.md has no block marked prod-check: {marker}"
    lines = found.group(1).splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines)


def readme_environment() -> dict[str, str]:
    """KEY=value lines of the README's environment block (comments dropped)."""
    env = {}
    for line in readme_block("environment").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def readme_command() -> list[str]:
    """The README's command line for one process (`gunicorn ... -b 127.0.0.1:8001 wsgi:app`)."""
    return readme_block("process").split()


def nginx_binary() -> str:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("nginx is not installed: `make prod-check` installs it with apt-get")


class AppProcess:
    """One gunicorn process (its own process group, so a kill takes master and worker)."""

    def __init__(self, name: str, port: int, env: dict, folder: Path):
        self.name, self.port, self.env, self.folder = name, port, env, folder
        self.log_path = folder / f"{name}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "AppProcess":
        command = [arg.replace("127.0.0.1:8001", f"127.0.0.1:{self.port}")
                   for arg in readme_command()]
        assert command[0] == "gunicorn"
        command[0:1] = [sys.executable, "-m", "gunicorn"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=open(self.log_path, "ab"),
            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz/ready", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready in {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to master and worker at once: a machine that dies, no goodbye."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_records(self) -> list[dict]:
        """Its JSON log lines (LOG_FORMAT=json); gunicorn's own lines are plain text."""
        records = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    records.append(json.loads(line))
                except ValueError:
                    pass
        return records

    def health(self) -> dict:
        return requests.get(self.url + "/healthz", timeout=5).json()


class Nginx:
    """nginx from the README's server block, on a free port with a self-signed certificate."""

    def __init__(self, folder: Path, upstream_ports: list[int]):
        self.folder = folder
        self.port = free_port()
        self.upstream_ports = upstream_ports
        self.process: subprocess.Popen | None = None
        self.certificate, self.key = folder / "cert.pem", folder / "key.pem"

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def get(self, path: str, **kwargs) -> requests.Response:
        """GET through nginx over HTTPS, trusting its self-signed certificate only."""
        return requests.get(self.url + path, verify=str(self.certificate), timeout=10, **kwargs)

    def _make_certificate(self) -> None:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(self.key), "-out", str(self.certificate)],
                       check=True, capture_output=True, timeout=60)

    def server_block(self) -> str:
        self._make_certificate()
        cert, key = self.certificate, self.key
        block = readme_block("nginx")
        replacements = {
            "127.0.0.1:8001": f"127.0.0.1:{self.upstream_ports[0]}",
            "127.0.0.1:8002": f"127.0.0.1:{self.upstream_ports[1]}",
            "listen 443 ssl;": f"listen 127.0.0.1:{self.port} ssl;",
            "/etc/ssl/museum/fullchain.pem": str(cert),
            "/etc/ssl/museum/privkey.pem": str(key),
        }
        for old, new in replacements.items():
            assert old in block, f"the README's nginx example no longer has {old!r}"
            block = block.replace(old, new)
        return block

    def write_config(self) -> Path:
        temp = self.folder / "temp"
        temp.mkdir(parents=True, exist_ok=True)
        (self.folder / "museum.conf").write_text(self.server_block())
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        paths = "\n".join(f"    {kind}_temp_path {temp / kind};"
                          for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        config = self.folder / "nginx.conf"
        config.write_text(f"""{user}
daemon off;
worker_processes 1;
pid {self.folder / 'nginx.pid'};
error_log {self.folder / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    log_format museum '$remote_addr [$time_iso8601] "$request" $status '
                      'upstream=$upstream_addr rid=$request_id';
    access_log {self.folder / 'access.log'} museum;
{paths}
    include {self.folder / 'museum.conf'};
}}
""")
        return config

    def start(self) -> "Nginx":
        config = self.write_config()
        binary = nginx_binary()
        command = [binary, "-p", str(self.folder), "-c", str(config),
                   "-e", str(self.folder / "error.log")]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=open(self.folder / "stderr.log", "ab"))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.get("/healthz/live")
                return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError((self.folder / "error.log").read_text()[-2000:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
