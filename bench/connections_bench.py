"""Connections benchmark: one server process holding N joined chat connections (10,000 by default).

For one real server process (`python wsgi.py`, eventlet or gevent, SQLite) and for a bare Node
socket.io server (bench/node/bare_server.js) in the same run, it reports:

- resident memory (VmRSS from /proc) before and after, and so KiB per joined connection;
- seconds to accept and join them all (at most `--concurrency` handshakes in flight);
- p50 / p99 / max of a fan-out into one room of `--room-size` connections while all N are held
  (`--messages` at `--rate` per second, send→receipt at every receiver of the room);
- `/healthz` latency sampled every 250 ms by a separate process, while connecting, while
  holding and during the fan-out (a sample that fails or times out counts at its full time).

Layout: N connections in projects of `--room-size` members each (one connection per member;
nobody in two projects), so the presence broadcast each join causes stays within a room of 50
instead of growing with N. The first project is the measured room; its first member sends.

    .venv/bin/python bench/connections_bench.py --write          # 10,000: ours (eventlet), Node
    .venv/bin/python bench/connections_bench.py --connections 30 --room-size 10 --no-node

Needs `node` and `npm` for the baseline (`npm ci` runs in bench/node when node_modules is
missing); `--no-node` skips it.
"""
import argparse
import asyncio
import json
import math
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import uvloop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "bench-secret")

from bench.chat_fanout import Recorder, cpu_seconds, summarise, wait_healthy, write_docs  # noqa: E402
from bench.sioclient import BenchClient  # noqa: E402
from bench.teams import prepare_teams  # noqa: E402

NODE_DIR = ROOT / "bench" / "node"
MARKER = "connections"
HEADING = "## Connections: one process, 10,000 sockets"


# --- the server's side of things ------------------------------------------------------------

def rss_kib(pid: int) -> dict:
    """Resident memory now and at its peak (VmRSS, VmHWM), in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return {"rss": fields["VmRSS"], "peak": fields["VmHWM"]}


def raise_own_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def sample_health(url: str, interval: float, timeout: float, stop, results) -> None:
    """In its own process (the generator's loop must not delay it): GET /healthz every
    `interval` seconds on a fresh connection, as a checker would; sends back
    (monotonic start, milliseconds, answered 200) per sample once told to stop."""
    try:  # once untimed: the first request of a process pays for lazy imports
        urllib.request.urlopen(url + "/healthz", timeout=timeout).close()
    except OSError:
        pass
    results.send("ready")
    samples = []
    while not stop.is_set():
        began = time.monotonic()
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=timeout) as response:
                response.read()
                ok = response.status == 200
        except OSError:  # refused, timed out, or an HTTP error status
            ok = False
        samples.append((began, (time.monotonic() - began) * 1000, ok))
        stop.wait(max(0.0, interval - (time.monotonic() - began)))
    results.send(samples)


def read_health(url: str) -> dict:
    with urllib.request.urlopen(url + "/healthz", timeout=30) as response:
        return json.loads(response.read())


class HealthSampler:
    def __init__(self, url: str, interval: float, timeout: float):
        context = multiprocessing.get_context("spawn")
        self.stop_event = context.Event()
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=sample_health, daemon=True,
                                       args=(url, interval, timeout, self.stop_event, sender))
        self.process.start()
        self.receiver.recv()

    def stop(self) -> list[tuple[float, float, bool]]:
        self.stop_event.set()
        samples = self.receiver.recv()
        self.process.join(10)
        return samples


def quantile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def latency_stats(samples, start: float, end: float) -> dict:
    chosen = [(ms, ok) for began, ms, ok in samples if start <= began < end]
    times = sorted(ms for ms, _ok in chosen)
    return {"samples": len(times), "failed": sum(1 for _ms, ok in chosen if not ok),
            "p50_ms": quantile(times, 0.5), "p99_ms": quantile(times, 0.99),
            "max_ms": times[-1] if times else float("nan")}


# --- the load generator ---------------------------------------------------------------------

def progress(done: int, failed: int, total: int, label: str, began: float) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r  {label:8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} joined"
                     f"  {failed} failed  {time.perf_counter() - began:5.1f} s")
    sys.stderr.flush()


async def connect_all(url: str, seats: list[tuple[str, str | None]], concurrency: int,
                      recorder: Recorder, room: int, label: str):
    """Connect and join every seat (slug, cookie), at most `concurrency` handshakes at a time;
    the first `room` connections record the `message` events they receive."""
    clients: list[BenchClient | None] = [None] * len(seats)
    failures: list[str] = []
    gate = asyncio.Semaphore(concurrency)
    began = last_drawn = time.perf_counter()
    done = 0

    async def one(index: int, slug: str, cookie: str | None) -> None:
        nonlocal done, last_drawn
        async with gate:
            client = BenchClient(url, cookie, recorder.receive if index < room else None)
            try:
                await client.connect()
                ack = await client.call("join", {"project": slug, "after": None})
                if not ack.get("ok"):
                    raise ConnectionError(f"join refused: {ack}")
                clients[index] = client
                done += 1
            except Exception as error:  # a refusal or a timeout is a figure, not a crash
                failures.append(f"{type(error).__name__}: {error}")
                if getattr(client, "ws", None) is not None:
                    client.ws.close()
        if time.perf_counter() - last_drawn > 0.2:
            last_drawn = time.perf_counter()
            progress(done, len(failures), len(seats), label, began)

    await asyncio.gather(*(one(i, slug, cookie) for i, (slug, cookie) in enumerate(seats)))
    progress(done, len(failures), len(seats), label, began)
    sys.stderr.write("\n")
    return clients, failures, time.perf_counter() - began


async def quiet(seconds: float = 1.0, limit: float = 120.0) -> None:
    """Wait until no client has received anything for `seconds` (the joins' presence storm)."""
    until = time.perf_counter() + limit
    while time.perf_counter() - BenchClient.last_event < seconds and time.perf_counter() < until:
        await asyncio.sleep(0.1)


async def fan_out(sender: BenchClient, slug: str, recorder: Recorder, receivers: int,
                  messages: int, rate: float) -> dict:
    began = time.perf_counter()
    for seq in range(1, messages + 1):
        delay = began + (seq - 1) / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await sender.emit("message", {"project": slug, "client_id": str(uuid.uuid4()),
                                      "body": f"bench {seq} {time.perf_counter()!r}"})
    deadline = time.perf_counter() + 10
    while len(recorder.pending) < messages * receivers and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    recorder.settle()
    return summarise(rate, recorder, range(1, messages + 1), receivers, began)


async def hold_and_measure(name: str, url: str, pid: int, seats, args) -> dict:
    """The whole run against one server: warm up, connect all, hold, fan out, close."""
    room = min(args.room_size, len(seats))
    slug = seats[0][0]
    warm = BenchClient(url, seats[0][1])  # the first connection pays for imports and caches
    await warm.connect()
    await warm.call("join", {"project": slug, "after": None})
    await warm.close()
    await asyncio.sleep(1.0)
    before = rss_kib(pid)
    sampler = HealthSampler(url, args.healthz_interval, args.healthz_timeout)
    phases = {"idle": time.monotonic()}
    await asyncio.sleep(1.0)  # its first samples: the idle figure
    cpu_before, own_before = cpu_seconds([pid]), time.process_time()
    recorder = Recorder()
    phases["connecting"] = time.monotonic()
    clients, failures, accept_s = await connect_all(url, seats, args.concurrency, recorder,
                                                    room, name)
    cpu_connect, own_connect = cpu_seconds([pid]) - cpu_before, time.process_time() - own_before
    phases["holding"] = time.monotonic()
    await quiet()
    hold_cpu, hold_began = cpu_seconds([pid]), time.perf_counter()
    await asyncio.sleep(args.hold)
    hold_cpu_pct = 100 * (cpu_seconds([pid]) - hold_cpu) / (time.perf_counter() - hold_began)
    after = rss_kib(pid)
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    health = await asyncio.to_thread(read_health, url)
    joined = sum(1 for c in clients if c is not None)
    receivers = [c for c in clients[:room] if c is not None]
    phases["fanout"] = time.monotonic()
    recorder.pending.clear()
    fanout = (await fan_out(receivers[0], slug, recorder, len(receivers), args.messages, args.rate)
              if receivers else {})
    phases["end"] = time.monotonic()
    samples = sampler.stop()
    for client in clients:
        if client is not None:
            await client.close()
    names = list(phases)
    return {
        "server": name, "connections": len(seats), "joined": joined, "failed": len(failures),
        "failures": sorted(set(failures))[:5], "accept_s": accept_s,
        "rss_before_kib": before["rss"], "rss_after_kib": after["rss"], "rss_peak_kib": after["peak"],
        "kib_per_connection": (after["rss"] - before["rss"]) / joined if joined else float("nan"),
        "server_cpu_connect_s": cpu_connect,
        "generator_cpu_connect_pct": 100 * own_connect / accept_s if accept_s else float("nan"),
        "server_cpu_holding_pct": hold_cpu_pct, "gate": health.get("connections"), "fds": fds,
        "room": len(receivers), "fanout": fanout,
        "healthz": {phase: latency_stats(samples, phases[phase], phases[names[i + 1]])
                    for i, phase in enumerate(names[:-1])}
        | {"all": latency_stats(samples, phases["connecting"], phases["end"])},
    }


# --- servers --------------------------------------------------------------------------------

def layout(connections: int, room_size: int) -> list[int]:
    """Project sizes: full rooms of `room_size`, the last one holding what is left."""
    teams = math.ceil(connections / room_size)
    return [min(room_size, connections - t * room_size) for t in range(teams)]


def run_ours(args, workdir: Path) -> dict:
    from tests.live import LiveServer

    env = {"CHAT_RATE_LIMIT": "1000000/second", "RATELIMIT_ENABLED": "1",
           "SOCKETIO_CHANNEL": f"bench-{uuid.uuid4().hex[:6]}"}
    server = LiveServer(workdir, async_mode=args.async_mode, extra_env=env).start()
    try:
        sizes = layout(args.connections, args.room_size)
        print(f"Ours, one process ({args.async_mode}): {args.connections} connections in "
              f"{len(sizes)} project(s) …", flush=True)
        seats = []
        for slug, cookies in prepare_teams(server, len(sizes), args.room_size):
            seats += [(slug, cookie) for cookie in cookies]
        seats = seats[:args.connections]
        report = asyncio.run(hold_and_measure("ours", server.url, server.process.pid, seats, args))
        if report["failed"]:  # the server's side of it, before its data directory goes
            report["server_log_tail"] = server.log_path.read_text(errors="replace")[-6000:]
            sys.stderr.write(f"server log (tail):\n{report['server_log_tail']}\n")
        return report
    finally:
        server.stop()


def run_node(args) -> dict:
    from tests.live import _free_port

    if not shutil.which("node") or not shutil.which("npm"):
        raise SystemExit("node and npm are needed for the baseline (or pass --no-node)")
    if not (NODE_DIR / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True)
    port = _free_port()
    process = subprocess.Popen(["node", str(NODE_DIR / "bare_server.js"), str(port)], cwd=NODE_DIR,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        sizes = layout(args.connections, args.room_size)
        print(f"Node socket.io: {args.connections} connections in {len(sizes)} room(s) …", flush=True)
        seats = [(f"room-{t}", None) for t, size in enumerate(sizes) for _ in range(size)]
        return asyncio.run(hold_and_measure("node", url, process.pid, seats, args))
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- the report -----------------------------------------------------------------------------

def _ratio(ours, node) -> str:
    return f"{ours / node:.2f}" if node and not math.isnan(node) else "–"


def markdown(report: dict) -> str:
    sides = [report[key] for key in ("ours", "node") if key in report]
    titles = {"ours": f"ours ({report['async_mode']}, SQLite)", "node": "Node socket.io 4 (bare)"}
    head = "| | " + " | ".join(titles[s["server"]] for s in sides) + (" | ours/node |" if
                                                                          len(sides) == 2 else " |")
    lines = [f"Run: `{report['command']}` on {report['when']}, {os.cpu_count()} cores, load average "
             f"{report['load_before']:.1f} before / {report['load_after']:.1f} after (the cores are "
             f"shared with other jobs); {report['connections']} connections in rooms of "
             f"{report['room_size']}, at most {report['concurrency']} handshakes in flight; "
             f"generator fd limit {report['fd_limit']}.", "", head,
             "|---" * (len(sides) + 1 + (len(sides) == 2)) + "|"]

    def row(label, value, ratio=None, fmt="{:.1f}"):
        cells = [fmt.format(value(s)) for s in sides]
        if len(sides) == 2:
            cells.append(_ratio(value(sides[0]), value(sides[1])) if ratio else "")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    health = lambda phase, key: lambda s: s["healthz"][phase][key]  # noqa: E731
    row("joined / refused or failed", lambda s: f"{s['joined']} / {s['failed']}", fmt="{}")
    row("RSS before → after (MiB)",
        lambda s: f"{s['rss_before_kib'] / 1024:.0f} → {s['rss_after_kib'] / 1024:.0f}", fmt="{}")
    row("**RSS per joined connection (KiB)**", lambda s: s["kib_per_connection"], ratio=True)
    row("open file descriptors (server, held)", lambda s: s.get("fds", float("nan")), fmt="{}")
    row("**seconds to accept + join all**", lambda s: s["accept_s"], ratio=True)
    row("server CPU while connecting (s)", lambda s: s["server_cpu_connect_s"], ratio=True)
    row("server CPU while holding, idle (%)", lambda s: s["server_cpu_holding_pct"], ratio=True)
    row("fan-out to the room: p50 (ms)", lambda s: s["fanout"]["p50_ms"], ratio=True)
    row("**fan-out to the room: p99 (ms)**", lambda s: s["fanout"]["p99_ms"], ratio=True)
    row("fan-out: max (ms) / lost", lambda s: f"{s['fanout']['max_ms']:.1f} / {s['fanout']['lost']}",
        fmt="{}")
    for phase in ("idle", "connecting", "holding", "fanout"):
        row(f"/healthz {phase}: p50 / p99 / max (ms)",
            lambda s, p=phase: (f"{health(p, 'p50_ms')(s):.1f} / {health(p, 'p99_ms')(s):.1f} / "
                                f"{health(p, 'max_ms')(s):.1f}"), fmt="{}")
    row("/healthz samples / failed", lambda s: f"{s['healthz']['all']['samples']} / "
        f"{s['healthz']['all']['failed']}", fmt="{}")
    row("generator CPU while connecting (%)", lambda s: s["generator_cpu_connect_pct"], fmt="{:.0f}")
    messages, rate = report["messages"], report["rate"]
    lines += ["", f"Fan-out: {messages} messages at {rate:g}/s into the first room "
              f"({sides[0]['room']} receivers) while all connections are held; /healthz sampled "
              f"every {report['healthz_interval'] * 1000:.0f} ms on a fresh connection "
              f"(timeout {report['healthz_timeout']:g} s)."]
    if "ours" in report and report["ours"].get("gate"):
        gate = report["ours"]["gate"]
        lines.append(f"Our gate while holding: {gate['open']} open of a limit of {gate['limit']} "
                     f"(MAX_CONNECTIONS default), {gate['refused']} refused.")
    return "\n".join(lines) + "\n"


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--room-size", type=int, default=50, help="members per project (room)")
    parser.add_argument("--concurrency", type=int, default=100, help="handshakes in flight")
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--rate", type=float, default=10.0, help="fan-out messages per second")
    parser.add_argument("--hold", type=float, default=10.0, help="seconds held idle before fan-out")
    parser.add_argument("--async-mode", choices=("eventlet", "gevent"), default="eventlet")
    parser.add_argument("--healthz-interval", type=float, default=0.25)
    parser.add_argument("--healthz-timeout", type=float, default=5.0)
    parser.add_argument("--no-node", action="store_true", help="skip the Node baseline")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    args = parser.parse_args(argv)
    report = {key: getattr(args, key) for key in ("connections", "room_size", "concurrency",
                                                  "messages", "rate", "async_mode",
                                                  "healthz_interval", "healthz_timeout")}
    report["command"] = " ".join(["python", "bench/connections_bench.py"] + (argv or sys.argv[1:]))
    report["fd_limit"] = raise_own_fd_limit()
    report["load_before"] = os.getloadavg()[0]
    previous_policy = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        with tempfile.TemporaryDirectory() as tmp:
            report["ours"] = run_ours(args, Path(tmp))
        if not args.no_node:
            report["node"] = run_node(args)
    finally:
        asyncio.set_event_loop_policy(previous_policy)
    report["load_after"] = os.getloadavg()[0]
    report["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = markdown(report)
    print("\n" + text)
    if args.write:
        write_docs(text, MARKER, HEADING)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
