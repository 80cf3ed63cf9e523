"""Co-editing benchmark: our server (pycrdt state, every update stored before its ack) against a
bare Flask-SocketIO relay that only rebroadcasts (bench/bare_server.py), in the same run.

1. Typing: E editors (20) in one document, each typing 5 characters per second (one Yjs update
   per keystroke) for --seconds (60): p50/p99/max from a keystroke being sent to its arrival at
   every other editor, server CPU per update, and (ours) stored bytes per update before and
   after compaction.
2. Open documents: C connections (1,000) open D documents (500), two per document: the server's
   resident memory per open document (RSS after the joins minus RSS with the same connections
   open and no document, divided by D).

    .venv/bin/python bench/coedit_bench.py                    # the full run
    .venv/bin/python bench/coedit_bench.py --seconds 10 --connections 200 --documents 100

The clients are bench/sioclient.py's minimal asyncio Socket.IO clients; each editor makes its
keystrokes with its own pycrdt Doc (what a browser's yjs would send). Sign-in cookies are minted
(bench/teams.py). With --write the figures go into docs/benchmarks.md.
"""
import argparse
import asyncio
import base64
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import uvloop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "bench-secret")

from bench.chat_fanout import cpu_seconds, start_bare, write_docs  # noqa: E402
from bench.sioclient import BenchClient  # noqa: E402
from bench.teams import prepare_team  # noqa: E402


BODY = "Label text for the room. " * 200
BODY_CHARS = 2000


class Editor(BenchClient):
    """Records the receipt time and raw text of every `doc_update` (parsed after the run)."""

    def __init__(self, url, cookie, received):
        super().__init__(url, cookie)
        self.received = received

    def _on_text(self, raw: str) -> None:
        if raw.startswith('42["doc_update"'):
            self.received.append((time.perf_counter(), id(self), raw))
            return
        super()._on_text(raw)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def typing_run(url: str, cookies: list[str], slug: str, doc_id: int, seconds: float,
                     pid: int, rate: float = 5.0, ack_timeout: float = 300) -> dict:
    from pycrdt import Doc, Text

    received: list = []
    editors = [Editor(url, cookie, received) for cookie in cookies]
    await asyncio.gather(*(e.connect() for e in editors))
    for editor in editors:
        ack = await editor.call("doc_join", {"project": slug, "doc": doc_id, "state_vector": None})
        assert ack.get("ok"), ack
    await asyncio.sleep(1)
    received.clear()
    sent: dict[str, tuple[float, int]] = {}
    acks: list = []
    sizes: list[int] = []

    async def typist(editor):
        doc = Doc()
        text = doc.get("body", type=Text)
        await asyncio.sleep(random.random() / rate)
        began = time.perf_counter()
        n = 0
        while time.perf_counter() - began < seconds:
            before = doc.get_state()
            text.insert(len(text), random.choice("abcdefgh "))
            update = base64.b64encode(doc.get_update(before)).decode()
            sent[update] = (time.perf_counter(), id(editor))
            sizes.append(len(base64.b64decode(update)))
            acks.append(asyncio.ensure_future(editor.call("doc_update", {
                "project": slug, "doc": doc_id, "update": update,
                "client_id": str(uuid.uuid4())}, timeout=ack_timeout)))
            n += 1
            await asyncio.sleep(max(0.0, began + n / rate - time.perf_counter()))

    cpu_before, own_before = cpu_seconds([pid]), time.process_time()
    wall_before = time.perf_counter()
    await asyncio.gather(*(typist(e) for e in editors))
    results = await asyncio.gather(*acks, return_exceptions=True)
    await asyncio.sleep(2)  # the last broadcasts
    cpu = cpu_seconds([pid]) - cpu_before
    own_cpu, wall = time.process_time() - own_before, time.perf_counter() - wall_before
    # every ack waited for (up to ack_timeout): wall > seconds means the server fell behind
    latencies = []
    for at, receiver, raw in received:
        update = json.loads(raw[2:])[1]["update"]
        origin = sent.get(update)
        if origin and origin[1] != receiver:
            latencies.append(1000 * (at - origin[0]))
    ok = sum(1 for r in results if isinstance(r, dict) and r.get("ok"))
    expected = len(sent) * (len(editors) - 1)
    for editor in editors:
        await editor.close()
    return {"editors": len(editors), "updates": len(sent), "acked": ok,
            "deliveries": len(latencies), "expected": expected,
            "p50_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99),
            "max_ms": max(latencies) if latencies else float("nan"),
            "cpu_ms_per_update": 1000 * cpu / max(1, ok), "wall_s": wall,
            "bytes_per_update_row": statistics.mean(sizes) if sizes else 0,
            "generator_cpu_pct": 100 * own_cpu / wall}


async def memory_run(url: str, cookies: list[str], slug: str, doc_ids: list[int],
                     connections: int, pid: int) -> dict:
    clients = [BenchClient(url, cookies[n % len(cookies)]) for n in range(connections)]
    for start in range(0, connections, 50):
        await asyncio.gather(*(c.connect() for c in clients[start:start + 50]))
    await asyncio.sleep(3)
    before = rss_kib(pid)
    per_doc = connections // len(doc_ids)
    for start in range(0, connections, 50):
        acks = await asyncio.gather(*(
            c.call("doc_join", {"project": slug, "doc": doc_ids[(start + i) // per_doc],
                                "state_vector": None}, timeout=120)
            for i, c in enumerate(clients[start:start + 50])))
        assert all(a.get("ok") for a in acks), acks[0]
    await asyncio.sleep(3)
    after = rss_kib(pid)
    for client in clients:
        await client.close()
    return {"connections": connections, "documents": len(doc_ids), "rss_before_mib": before / 1024,
            "rss_after_mib": after / 1024, "kib_per_document": (after - before) / len(doc_ids)}


def make_documents(server, slug: str, count: int, body_chars: int) -> list[int]:
    from app.documents.models import Document, DocumentRevision
    from app.extensions import db
    from app.projects.models import Project

    body = BODY[:body_chars]
    app = server.app()
    with app.app_context():
        project = db.session.query(Project).filter_by(slug=slug).one()
        ids = []
        for n in range(count):
            document = Document(project_id=project.id, title=f"Bench {n}", position=n)
            db.session.add(document)
            db.session.flush()
            revision = DocumentRevision(document_id=document.id, number=1, title=document.title,
                                        body=body, html="", summary="")
            db.session.add(revision)
            db.session.flush()
            document.current_revision_id = revision.id
            ids.append(document.id)
        db.session.commit()
        db.session.remove()
    return ids


def stored_bytes(server, doc_id: int, updates: int, body: str) -> dict:
    """Bytes the document takes once its updates are in a revision and compacted, beyond the
    snapshot of the text it started with, per stored update."""
    from pycrdt import Doc, Text

    from app.documents import services
    from app.documents.coedit import state, store
    from app.documents.models import Document
    from app.extensions import db

    seed = Doc()
    seed.get("body", type=Text).insert(0, body)
    baseline = len(seed.get_update())
    app = server.app()
    with app.app_context():
        state.release(doc_id)
        services.cut_revision(None, db.session.get(Document, doc_id))
        store.compact(doc_id)
        after = store.stored_bytes(doc_id)
        db.session.remove()
    return {"bytes_per_update_compacted": (after - baseline) / max(1, updates),
            "compacted_bytes": after, "seed_bytes": baseline}


def run(args) -> dict:
    from tests.live import LiveServer

    report = {"args": vars(args)}
    with tempfile.TemporaryDirectory() as tmp:
        env = {"RATELIMIT_ENABLED": "0", "COEDIT_REVISION_IDLE_SECONDS": "3600"}
        server = LiveServer(Path(tmp) / "ours", async_mode="eventlet", extra_env=env).start()
        try:
            slug, cookies = prepare_team(server, args.editors)
            docs = make_documents(server, slug, 1 + args.documents, BODY_CHARS)
            print("ours: typing…", flush=True)
            ours = asyncio.run(typing_run(server.url, cookies, slug, docs[0], args.seconds,
                                          server.process.pid))
            ours.update(stored_bytes(server, docs[0], ours["acked"], BODY[:BODY_CHARS]))
            report["ours_typing"] = ours
            print(ours, flush=True)
            print("ours: open documents…", flush=True)
            report["ours_memory"] = asyncio.run(memory_run(
                server.url, cookies, slug, docs[1:], args.connections, server.process.pid))
            print(report["ours_memory"], flush=True)
        finally:
            server.stop()
    url, process = start_bare()
    try:
        print("bare relay: typing…", flush=True)
        report["bare_typing"] = asyncio.run(typing_run(url, [None] * args.editors, "bare", 1,
                                                       args.seconds, process.pid))
        print(report["bare_typing"], flush=True)
        report["bare_memory"] = asyncio.run(memory_run(
            url, [None], "bare", list(range(1, args.documents + 1)), args.connections,
            process.pid))
        print(report["bare_memory"], flush=True)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return report


def markdown(report: dict) -> str:
    a = report["args"]
    ours, bare = report["ours_typing"], report["bare_typing"]
    om, bm = report["ours_memory"], report["bare_memory"]
    load = os.getloadavg()[0]
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"load average {load:.1f} at the end; eventlet, SQLite, one process each; "
        f"`python bench/coedit_bench.py --seconds {a['seconds']} --editors {a['editors']} "
        f"--connections {a['connections']} --documents {a['documents']}`.",
        "",
        f"**Typing**: {a['editors']} editors in one document, 5 keystrokes/s each (one update "
        f"per keystroke), {a['seconds']} s.",
        "",
        "| | updates | acked | deliveries / expected | p50 ms | p99 ms | max ms "
        "| server CPU ms/update | generator CPU |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in (("Ours", ours), ("Bare relay", bare)):
        lines.append(f"| {name} | {row['updates']} | {row['acked']} | {row['deliveries']} / "
                     f"{row['expected']} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
                     f"{row['max_ms']:.1f} | {row['cpu_ms_per_update']:.2f} | "
                     f"{row['generator_cpu_pct']:.0f} % |")
    lines += [
        "",
        f"Stored (ours): {ours['bytes_per_update_row']:.0f} bytes per update as an appended row "
        f"(the update as sent); after the revision and compaction "
        f"{ours['bytes_per_update_compacted']:.1f} bytes per update (snapshot "
        f"{ours['compacted_bytes']} bytes, of which {ours['seed_bytes']} for the 2,000-character "
        f"start, for {ours['acked']} stored updates). Typing phase took {ours['wall_s']:.0f} s "
        f"of wall time for {a['seconds']:.0f} s of typing (ours) and {bare['wall_s']:.0f} s "
        f"(relay): the time to acknowledge the last keystroke.",
        "",
        f"**Open documents**: {om['connections']} connections opening {om['documents']} "
        f"documents (2,000 characters each, two connections per document).",
        "",
        "| | RSS with the connections (MiB) | after the joins (MiB) | KiB per open document |",
        "|---|---|---|---|",
    ]
    for name, row in (("Ours", om), ("Bare relay", bm)):
        lines.append(f"| {name} | {row['rss_before_mib']:.1f} | {row['rss_after_mib']:.1f} | "
                     f"{row['kib_per_document']:.1f} |")
    return "\n".join(lines)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--write", action="store_true", help="put the figures into docs/benchmarks.md")
    args = parser.parse_args(argv)
    uvloop.install()
    report = run(args)
    text = markdown(report)
    print(text)
    if args.write:
        write_docs(text + "\n", marker="coedit", heading="## Co-editing")
    return report


if __name__ == "__main__":
    main()
