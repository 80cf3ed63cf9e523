"""The two ways to serve the app in production start and answer: `python wsgi.py` (the browser
tests cover it) and `gunicorn -k eventlet -w 1 wsgi:app`, including the WebSocket transport."""
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.live import ROOT, LiveServer

pytestmark = pytest.mark.multiprocess


def test_gunicorn_with_the_eventlet_worker_serves_pages_and_websockets(tmp_path):
    server = LiveServer(tmp_path)  # migrates a fresh database; we start gunicorn ourselves
    log = open(tmp_path / "gunicorn.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "eventlet", "-w", "1", "-b", f"127.0.0.1:{server.port}",
         "wsgi:app"], cwd=ROOT, env=server.env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline, status = time.monotonic() + 30, None
        while time.monotonic() < deadline and status is None:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()[-2000:]
            try:
                with urllib.request.urlopen(server.url + "/healthz", timeout=1) as response:
                    status = response.status
            except OSError:
                time.sleep(0.2)
        assert status == 200
        with urllib.request.urlopen(server.url + "/directory/", timeout=5) as response:
            assert response.status == 200

        import websocket

        socket = websocket.create_connection(
            f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket", timeout=5)
        assert socket.recv().startswith("0{")  # Engine.IO open packet over a real WebSocket
        socket.send("40")  # Socket.IO connect without a session: refused, politely
        assert socket.recv().startswith("44")
        socket.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
