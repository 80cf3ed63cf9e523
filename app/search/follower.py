"""The log follower: in every server process, a background thread (a green thread under
eventlet) that keeps this machine's index and this process's searcher up to date.

Every `POLL_INTERVAL` seconds it tries the machine's writer lock without waiting: the process
that gets it applies the change log entries this machine's index lacks (building the index from
scratch on a new machine); the others leave the writing to it. A whole index is minutes of CPU
at 10,000 case studies, which would stop a green-thread server answering: there, the build runs
in a process of its own (`flask search drain`, which waits for the machine's writer lock), and
the follower waits for it without blocking the hub. Then every process opens and warms a
searcher on whatever changed (`searcher.open_view`, in a real thread under eventlet), off the
readers' path, and swaps it in (`install_view`, on the green thread: it takes the locks
readers wait on), so no query waits for a new index version. Nothing here locks anything
across machines.

Once a process reads a new index version it sends `archive_changed`: public pages rendered from
the old version (by any process sharing the page cache, on any machine) are not served again.
The publishing process's own signals cannot cover this: another machine's index, and even this
process's searcher, catch up later than they are sent.
"""
import logging
import subprocess
import sys
import threading
from pathlib import Path

from flask import Flask, current_app

from ..core.blocking import run_blocking
from ..core.signals import archive_changed
from . import indexer, searcher

log = logging.getLogger(__name__)

POLL_INTERVAL = 0.5  # seconds between two looks at the log (SEARCH_POLL_INTERVAL)


#: what builds a whole index in a process of its own (run from the project's folder)
BUILD_COMMAND = (sys.executable, "-m", "flask", "--app", "wsgi", "search", "drain")


def follow_once(timeout: float = indexer.LOCK_TIMEOUT, refresh=None, build=None) -> int:
    """Apply what the log holds for this machine, if no other process of it is doing so; then
    refresh this process's searcher (through `refresh`, which runs a function: the follower
    hands it to a real thread). A whole index to build is built here, or by `build()` when
    given. Returns how many entries were applied; never raises."""
    applied = 0
    try:
        applied = indexer.apply_log(timeout, build_here=build is None)
    except indexer.BuildNeeded:
        build()
    except indexer.IndexBusy:
        pass  # another process of this machine is writing: it applies the log
    except Exception:  # noqa: BLE001  (a publish must not fail because of the index)
        log.exception("search change log not applied now; retried at the next look")
    try:
        before = searcher.loaded_view()
        fresh = (refresh or (lambda function: function()))(searcher.open_view)
        if fresh is not None:
            searcher.install_view(fresh)
            if before is not None:
                archive_changed.send(current_app._get_current_object())
    except Exception:  # noqa: BLE001
        log.exception("search: could not open the new index version; readers keep the old one")
    return applied


class Follower:
    def __init__(self, app: Flask, interval: float, build_elsewhere: bool = False):
        self.app = app
        self.interval = interval
        self.build_elsewhere = build_elsewhere
        self.builds_elsewhere = 0  # whole indexes built by a process of its own
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, name="search-follower", daemon=True)

    def run(self) -> None:
        with self.app.app_context():
            searcher.keep_fresh_in_background(indexer.index_root())
            try:
                while not self.stopped.is_set():
                    self._look()
                    self.stopped.wait(self.interval)
            finally:
                searcher.keep_fresh_in_background(indexer.index_root(), enabled=False)

    def _look(self) -> None:
        # Opening and warming a searcher is CPU work on files: under eventlet it runs in a real
        # thread so the hub keeps serving. The database reads, and the swap (it takes locks
        # that green threads wait on), stay on the green thread.
        follow_once(timeout=0, refresh=lambda function: run_blocking(self._in_context, function),
                    build=self._build_in_own_process if self.build_elsewhere else None)

    def _build_in_own_process(self) -> None:
        log.info("search: this machine's index is built by a process of its own")
        child = subprocess.Popen(BUILD_COMMAND, cwd=Path(self.app.root_path).parent,
                                 stdout=subprocess.DEVNULL)
        while child.poll() is None:  # a green wait: the hub keeps serving
            if self.stopped.wait(self.interval):
                child.terminate()
                child.wait()
                return
        if child.returncode:
            log.error("search: building the index failed (exit %s); tried again at the next look",
                      child.returncode)
            return
        self.builds_elsewhere += 1

    def _in_context(self, function):
        with self.app.app_context():
            return function()

    def stop(self, timeout: float = 10) -> None:
        self.stopped.set()
        self.thread.join(timeout)


def start_follower(app: Flask, *, build_elsewhere: bool = False) -> Follower:
    """Start following the change log in this process (wsgi.py does, for every server; a
    green-thread server builds a whole index in a process of its own: `build_elsewhere`)."""
    interval = float(app.config.get("SEARCH_POLL_INTERVAL") or POLL_INTERVAL)
    follower = Follower(app, interval, build_elsewhere)
    app.extensions["search.follower"] = follower
    follower.thread.start()
    return follower

