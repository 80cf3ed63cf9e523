"""Chat chaos soak: the process-kill scenario many times in a row, with a CPU hog beside it.

Each run is the scenario of tests/chat/test_multiprocess.py on a fresh project: three peers
(one staying with process A, one failing over from A to B, one on B) keep sending; A is
SIGKILLed after a third of the messages are acknowledged and restarted; then every peer must
hold every acknowledged message exactly once, in commit order with seq 1…n, and the database
must hold each once. A run with any message missing, duplicated or out of order is a gap run.
The peers follow the client protocol of docs/realtime.md (tests/chat/live_peers.py).

    .venv/bin/python bench/chat_chaos.py                      # 100 runs, eventlet and gevent
    .venv/bin/python bench/chat_chaos.py --runs 5 --modes eventlet --no-hog

Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/0). Not part of CI: it takes a while.
"""
import argparse
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app.chat.models import ChatMessage  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.chat import live_peers  # noqa: E402
from tests.chat.live_peers import ChatPeer, sign_in  # noqa: E402
from tests.factories import DEFAULT_PASSWORD, make_project, make_user  # noqa: E402
from tests.live import LiveServer  # noqa: E402


def hog(stop) -> None:
    """Keep one core busy (the machine has two) until told to stop."""
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def progress(done: int, total: int, label: str, gaps: int) -> None:
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r{label:9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
                     f"  gap runs: {gaps}")
    sys.stderr.flush()


def make_team(app, run: int) -> dict:
    with app.app_context():
        people = [make_user(f"Chaos {run}-{n}") for n in range(3)]
        project = make_project(lead=people[0], members={"member": people[1:]})
        team = {"emails": [p.email for p in people], "slug": project.slug,
                "project_id": project.id}
        db.session.remove()
    return team


def one_run(a: LiveServer, b: LiveServer, app, run: int, per_peer: int) -> dict:
    """The kill scenario once; returns what each peer misses, duplicates or misorders."""
    team = make_team(app, run)
    routes = [("stays with A", [a.url], 0), ("moves to B", [a.url, b.url], 1),
              ("on B", [b.url], 2)]
    peers = []
    for name, urls, index in routes:
        chat = ChatPeer(name, sign_in(urls[0], team["emails"][index], DEFAULT_PASSWORD),
                        team["slug"], urls)
        chat.ensure_joined()
        peers.append(chat)
    progress_made = threading.Condition()
    errors: list[Exception] = []

    def keep_sending(chat):
        try:
            for n in range(per_peer):
                chat.send(f"{chat.name} #{n}")
                with progress_made:
                    progress_made.notify_all()
        except Exception as error:  # noqa: BLE001 - reported in the result
            errors.append(error)
            with progress_made:
                progress_made.notify_all()

    def acked():
        return sum(len(p.acked) for p in peers)

    total = per_peer * len(peers)
    senders = [threading.Thread(target=keep_sending, args=(p,)) for p in peers]
    result = {"missing": 0, "duplicates": 0, "misordered": 0, "errors": 0, "stored": 0,
              "rejoins": 0}
    try:
        for thread in senders:
            thread.start()
        with progress_made:
            progress_made.wait_for(lambda: acked() >= total // 3 or errors, timeout=60)
        a.kill()
        with progress_made:
            progress_made.wait_for(lambda: acked() >= 2 * total // 3 or errors, timeout=60)
        a.start()
        for thread in senders:
            thread.join(timeout=120)
        result["errors"] = len(errors)
        acked_ids = sorted(i for p in peers for i in p.acked.values())
        for chat in peers:
            chat.ensure_joined()
            chat.wait_for(lambda p: set(acked_ids) <= set(p.view), timeout=10)
            view = set(chat.view)
            result["missing"] += len(set(acked_ids) - view)
            result["duplicates"] += len(acked_ids) - len(set(acked_ids))
            seqs = [chat.view[i]["seq"] for i in acked_ids if i in view]
            result["misordered"] += int(seqs != sorted(seqs))
        with app.app_context():
            count = db.session.execute(
                select(func.count(ChatMessage.id))
                .where(ChatMessage.project_id == team["project_id"])).scalar_one()
            db.session.remove()
        result["stored"] = count
        result["duplicates"] += max(0, count - len(set(acked_ids)))
        result["missing"] += total - len(set(acked_ids))  # never acknowledged at all
        result["rejoins"] = sum(chat.rejoins for chat in peers)
    finally:
        for chat in peers:
            chat.close()
    return result


def soak(mode: str, runs: int, per_peer: int, redis_url: str, workdir: Path) -> dict:
    env = {"SOCKETIO_CHANNEL": f"chaos-{uuid.uuid4().hex[:8]}"}
    database_url = f"sqlite:///{workdir / f'chaos-{mode}.db'}"
    a = LiveServer(workdir / f"{mode}-a", database_url=database_url, redis_url=redis_url,
                   async_mode=mode, extra_env=env)
    b = LiveServer(workdir / f"{mode}-b", database_url=database_url, redis_url=redis_url,
                   async_mode=mode, extra_env=env, migrate=False)
    totals = {"runs": 0, "gap_runs": 0, "missing": 0, "duplicates": 0, "misordered": 0,
              "errors": 0, "rejoins": 0, "seconds": 0.0}
    started = time.monotonic()
    try:
        a.start()
        b.start()
        app = a.app()
        for run in range(runs):
            if a.process.poll() is not None:
                a.start()
            outcome = one_run(a, b, app, run, per_peer)
            totals["runs"] += 1
            bad = outcome["missing"] + outcome["duplicates"] + outcome["misordered"]
            totals["gap_runs"] += int(bad > 0 or outcome["errors"] > 0)
            for key in ("missing", "duplicates", "misordered", "errors", "rejoins"):
                totals[key] += outcome[key]
            progress(run + 1, runs, mode, totals["gap_runs"])
    finally:
        sys.stderr.write("\n")
        a.stop()
        b.stop()
    totals["seconds"] = round(time.monotonic() - started, 1)
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--per-peer", type=int, default=12, help="messages each peer sends")
    parser.add_argument("--modes", default="eventlet,gevent")
    parser.add_argument("--no-hog", action="store_true", help="no CPU hog beside the servers")
    parser.add_argument("--no-heal", action="store_true",
                        help="peers never re-join to fill a gap: the server's guarantee alone")
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    if args.no_heal:
        live_peers.GAP_WAIT = float("inf")
    stop = multiprocessing.Event()
    hogger = None if args.no_hog else multiprocessing.Process(target=hog, args=(stop,))
    if hogger:
        hogger.start()
    results = {}
    try:
        with tempfile.TemporaryDirectory(prefix="chat-chaos-") as tmp:
            for mode in args.modes.split(","):
                results[mode] = soak(mode, args.runs, args.per_peer, redis_url, Path(tmp))
    finally:
        stop.set()
        if hogger:
            hogger.join()
    print(f"\nchat chaos soak: {args.runs} kill runs per mode, 3 peers x {args.per_peer} messages,"
          f" CPU hog {'off' if args.no_hog else 'on'}, gap healing {'off' if args.no_heal else 'on'}")
    print("| mode | runs | runs with a gap | missing | duplicated | misordered | send errors |"
          " re-joins on an open connection | s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mode, r in results.items():
        print(f"| {mode} | {r['runs']} | {r['gap_runs']} | {r['missing']} | {r['duplicates']} |"
              f" {r['misordered']} | {r['errors']} | {r['rejoins']} | {r['seconds']} |")
    failed = sum(r["gap_runs"] for r in results.values())
    print(f"{sum(r['runs'] for r in results.values())} runs, {failed} with a gap")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
