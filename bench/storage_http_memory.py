"""The 200 MB upload and download of bench/storage_memory.py, through a real app process
(`python wsgi.py`, eventlet) over HTTP with STORAGE_URL=s3://… (moto's server): db upgrade, seed
demo, sign in as Anna, upload into a workspace she may write to, download it back, and print the
server's peak resident memory (VmHWM, reset before each step through /proc/PID/clear_refs).
Run: .venv/bin/python bench/storage_http_memory.py [MB]
"""
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from tests.conftest import free_port  # noqa: E402
from tests.s3 import s3_settings, start_s3_server, use_s3_credentials  # noqa: E402

LINE = b"A line of a long museum inventory, repeated to make a big text file.\n"


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def main(size_mb: int) -> None:
    use_s3_credentials()
    s3 = start_s3_server(free_port())
    folder = Path(tempfile.mkdtemp(prefix="storage-http-"))
    port = free_port()
    env = {**os.environ, "APP_ENV": "development", "DATA_DIR": str(folder), "PORT": str(port),
           "MAX_UPLOAD_MB": str(size_mb + 50), "RATELIMIT_ENABLED": "0", **s3_settings(s3)}
    env.pop("TEST_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)
    for command in (["db", "upgrade"], ["seed", "demo"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *command], env=env,
                       cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen([sys.executable, "wsgi.py"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        session = requests.Session()
        login = session.get(base + "/auth/login").text
        session.post(base + "/auth/login", data={"csrf_token": csrf_token(login),
                                                  "email": "anna@museo-demo.eu",
                                                  "password": "demo-password"})
        listing = session.get(base + "/projects/").text
        for slug in dict.fromkeys(re.findall(r'href="/projects/([a-z0-9-]+)/"', listing)):
            files_page = session.get(f"{base}/projects/{slug}/files/").text
            if 'type="file"' in files_page:
                break
        big = folder / "big.txt"
        with open(big, "wb") as handle:
            for _ in range(size_mb * 1024 * 1024 // len(LINE)):
                handle.write(LINE)
        Path(f"/proc/{server.pid}/clear_refs").write_text("5")
        before = peak_mb(server.pid)
        started = time.monotonic()
        with open(big, "rb") as handle:
            answer = session.post(f"{base}/projects/{slug}/files/",
                                  data={"csrf_token": csrf_token(files_page), "description": ""},
                                  files={"file": ("big.txt", handle)}, allow_redirects=False)
        seconds = time.monotonic() - started
        after_upload = peak_mb(server.pid)
        file_url = base + answer.headers["Location"].rstrip("/")
        Path(f"/proc/{server.pid}/clear_refs").write_text("5")
        download_before = peak_mb(server.pid)
        received = 0
        with session.get(file_url + "/download", stream=True) as response:
            for chunk in response.iter_content(1 << 20):
                received += len(chunk)
        assert received == big.stat().st_size
        print(f"file {received / 2**20:.0f} MB; upload {answer.status_code} in {seconds:.1f} s: "
              f"server peak RSS {before:.0f} -> {after_upload:.0f} MB; download: "
              f"{download_before:.0f} -> {peak_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(10)
        s3.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
