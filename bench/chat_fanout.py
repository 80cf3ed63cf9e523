"""Chat fan-out benchmark: N signed-in clients in one project room, senders at stepped rates.

For each rate it reports deliveries per second and the p50/p99/max latency from send to receipt,
and the peak deliveries per second before p99 exceeds 250 ms. The same load generator then drives
a bare Flask-SocketIO + eventlet broadcast server (bench/bare_server.py: no auth, no database),
and, unless --no-redis, two of our processes sharing one database and Redis (clients split over
both, senders on the first). Results go to stdout and, with --write, into docs/benchmarks.md.

    .venv/bin/python bench/chat_fanout.py                  # N=200, the full run (~3-4 minutes)
    .venv/bin/python bench/chat_fanout.py --clients 5 --rates 5,10 --duration 1 --no-redis

The clients are minimal asyncio Socket.IO (protocol v5 / Engine.IO v4) clients
(bench/sioclient.py) over a minimal WebSocket client (bench/wsclient.py), so the load generator
stays cheaper than the servers.
Sign-in cookies are minted with the server's secret key (logging 200 people in through argon2
would only measure argon2).
"""
import argparse
import asyncio
import json
import os
import statistics
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

from bench.sioclient import BenchClient  # noqa: E402
from bench.teams import prepare_team  # noqa: E402

P99_LIMIT_MS = 250.0


# --- one measured run -----------------------------------------------------------------------

class Recorder:
    def __init__(self):
        self.sent: dict[int, float] = {}
        self.latencies: dict[int, list[float]] = {}
        self.pending: list[tuple[float, str]] = []
        self.last_receipt = 0.0

    def receive(self, raw: str) -> None:
        """One `message` event as received: only its receipt time and text are kept here, the
        parsing waits for `settle()` after the step, so the generator spends its CPU on reading
        sockets while the step runs."""
        self.pending.append((time.perf_counter(), raw))

    def settle(self) -> None:
        """Turn the pending receipts into latencies: the body "bench <seq> <send time>" is read
        straight from the text (the html field has it too, but never right after a quote)."""
        for now, raw in self.pending:
            start = raw.find('"bench ')
            if start < 0:
                continue
            parts = raw[start + 1:raw.find('"', start + 1)].split()
            if len(parts) != 3:
                continue
            self.latencies.setdefault(int(parts[1]), []).append(now - float(parts[2]))
            self.last_receipt = max(self.last_receipt, now)
        self.pending.clear()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the server processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


async def measure(targets: list[tuple[str, str | None]], senders: list[tuple[str, str | None]],
                  slug: str, rates: list[float], duration: float,
                  server_pids: list[int] = ()) -> list[dict]:
    """`targets`: (server url, cookie) per receiving client; `senders` likewise.

    With `server_pids`, each step also reports the servers' CPU milliseconds per message: what a
    message costs the server whether or not the load generator keeps up.
    """
    recorder = Recorder()
    receivers = [BenchClient(url, cookie, recorder.receive) for url, cookie in targets]
    for start in range(0, len(receivers), 25):  # connect in batches, not all at once
        await asyncio.gather(*(c.connect() for c in receivers[start:start + 25]))
    for client in receivers:
        ack = await client.call("join", {"project": slug, "after": None})
        assert ack["ok"], ack
    sending = [BenchClient(url, cookie) for url, cookie in senders]
    await asyncio.gather(*(c.connect() for c in sending))
    # Every join broadcasts the presence list to the room (N joins x N receivers): measure
    # only once that has drained, i.e. after a quiet second.
    quiet_until = time.perf_counter() + 60
    while time.perf_counter() - BenchClient.last_event < 1.0 and time.perf_counter() < quiet_until:
        await asyncio.sleep(0.1)
    results, seq = [], 0
    try:
        for rate in rates:
            first = seq
            cpu_before = cpu_seconds(server_pids)
            own_before, wall_before = time.process_time(), time.perf_counter()
            interval, began = 1.0 / rate, time.perf_counter()
            count = max(1, int(rate * duration))
            for n in range(count):
                due = began + n * interval
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                seq += 1
                body = f"bench {seq} {time.perf_counter()!r}"
                recorder.sent[seq] = time.perf_counter()
                await sending[n % len(sending)].emit(
                    "message", {"project": slug, "body": body, "client_id": str(uuid.uuid4())})
            expected = count * len(receivers)
            deadline = time.perf_counter() + 10
            while time.perf_counter() < deadline:
                if len(recorder.pending) >= expected:  # every receipt in a step is of that step
                    break
                await asyncio.sleep(0.05)
            own_cpu, wall = time.process_time() - own_before, time.perf_counter() - wall_before
            recorder.settle()
            results.append(summarise(rate, recorder, range(first + 1, seq + 1), len(receivers), began))
            if server_pids:
                results[-1]["cpu_ms_per_msg"] = 1000 * (cpu_seconds(server_pids) - cpu_before) / count
            # The generator's own CPU share over the step: near 100 % it, not the server, is the limit.
            results[-1]["generator_cpu_pct"] = 100 * own_cpu / wall
            print_row(results[-1])
            if results[-1]["p99_ms"] > P99_LIMIT_MS * 2:
                break  # far past the limit: higher rates only take longer to say the same
    finally:
        for client in receivers + sending:
            await client.close()
    return results


def summarise(rate, recorder, seqs, receivers, began) -> dict:
    latencies = sorted(x * 1000 for i in seqs for x in recorder.latencies.get(i, ()))
    expected = len(seqs) * receivers
    elapsed = max(recorder.last_receipt - began, 1e-6)
    quantile = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]) \
        if latencies else (lambda q: float("nan"))
    return {
        "rate": rate, "messages": len(seqs), "deliveries": len(latencies),
        "lost": expected - len(latencies),
        "deliveries_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": quantile(0.99) if latencies else float("inf"),
        "max_ms": latencies[-1] if latencies else float("inf"),
    }


def print_row(row: dict) -> None:
    print(f"  {row['rate']:>6.0f} msg/s  {row['deliveries_per_s']:>9.0f} deliv/s  "
          f"p50 {row['p50_ms']:>7.1f} ms  p99 {row['p99_ms']:>7.1f} ms  max {row['max_ms']:>7.1f} ms"
          f"  lost {row['lost']}"
          + (f"  server CPU {row['cpu_ms_per_msg']:.2f} ms/msg" if "cpu_ms_per_msg" in row else "")
          + f"  generator CPU {row.get('generator_cpu_pct', float('nan')):.0f} %",
          flush=True)


def _within_limit(row: dict) -> bool:
    return row["p99_ms"] <= P99_LIMIT_MS and not row["lost"]


def peak(results: list[dict]) -> float:
    """The highest deliveries/s of any step within the limit (a noisy step may fail below it)."""
    return max((r["deliveries_per_s"] for r in results if _within_limit(r)), default=0.0)


def sustained(results: list[dict]) -> float:
    """The deliveries/s of the last step before the first one over the limit: the stricter
    reading, every lower rate passed too."""
    best = 0.0
    for row in results:
        if not _within_limit(row):
            break
        best = row["deliveries_per_s"]
    return best


def at_rate(results: list[dict], rate: float) -> dict | None:
    return next((r for r in results if r["rate"] == rate), None)


# --- servers --------------------------------------------------------------------------------

def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on {url} exited")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def start_bare() -> tuple[str, subprocess.Popen]:
    from tests.live import _free_port

    port = _free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "bare_server.py"), str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process)
    return url, process


def our_servers(workdir: Path, count: int, redis_url: str | None):
    from tests.live import LiveServer

    env = {"CHAT_RATE_LIMIT": "1000000/second", "RATELIMIT_ENABLED": "1",
           "SOCKETIO_CHANNEL": f"bench-{uuid.uuid4().hex[:6]}"}
    database = f"sqlite:///{workdir / 'bench.db'}"
    servers = []
    for n in range(count):
        servers.append(LiveServer(workdir / f"s{n}", database_url=database, redis_url=redis_url,
                                  async_mode="eventlet", extra_env=env, migrate=(n == 0)).start())
    return servers


# --- the run --------------------------------------------------------------------------------

def run(args) -> dict:
    rates = [float(r) for r in args.rates.split(",")]
    n, senders = args.clients, args.senders
    report = {"clients": n, "senders": senders, "duration": args.duration, "rates": rates}
    with tempfile.TemporaryDirectory() as tmp:
        print(f"Ours, one process (eventlet), {n} clients, {senders} sender(s):", flush=True)
        servers = our_servers(Path(tmp) / "one", 1, None)
        try:
            slug, cookies = prepare_team(servers[0], n + senders)
            url = servers[0].url
            report["ours"] = asyncio.run(measure([(url, c) for c in cookies[:n]],
                                                 [(url, c) for c in cookies[n:]], slug, rates,
                                                 args.duration, [servers[0].process.pid]))
            with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
                report["ours_fanout"] = json.loads(response.read())["fanout"]
            print(f"  fan-out: {fanout_line(report['ours_fanout'])}", flush=True)
        finally:
            servers[0].stop()

        print("Bare Flask-SocketIO + eventlet broadcast server:", flush=True)
        url, process = start_bare()
        try:
            report["bare"] = asyncio.run(measure([(url, None)] * n, [(url, None)] * senders, "room",
                                                 rates, args.duration, [process.pid]))
        finally:
            process.terminate()
            process.wait(timeout=10)

        if not args.no_redis:
            redis_url = args.redis_url or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
            print(f"Ours, two processes + Redis ({redis_url}):", flush=True)
            servers = our_servers(Path(tmp) / "two", 2, redis_url)
            try:
                slug, cookies = prepare_team(servers[0], n + senders)
                targets = [(servers[i % 2].url, c) for i, c in enumerate(cookies[:n])]
                report["two_processes_redis"] = asyncio.run(measure(
                    targets, [(servers[0].url, c) for c in cookies[n:]], slug, rates, args.duration,
                    [server.process.pid for server in servers]))
            finally:
                for server in servers:
                    server.stop()
    report["summary"] = summary(report, args.target_rate)
    return report


def fanout_line(stats: dict | None) -> str:
    if stats is None:
        return "python-socketio's stock broadcast (CHAT_LEAN_FANOUT=0)"
    frames_per_send = stats["direct_frames"] / stats["direct_sends"] if stats["direct_sends"] else 0
    return (f"{stats['direct_frames']} frames in {stats['direct_sends']} direct sends "
            f"({frames_per_send:.1f} per system call), {stats['partial_sends']} partial, "
            f"{stats['queued_frames']} through the engine.io queue")


def summary(report: dict, target_rate: float) -> dict:
    out = {"ours_peak": peak(report["ours"]), "bare_peak": peak(report["bare"])}
    out["ratio"] = out["ours_peak"] / out["bare_peak"] if out["bare_peak"] else float("nan")
    out["ours_sustained"], out["bare_sustained"] = sustained(report["ours"]), sustained(report["bare"])
    out["sustained_ratio"] = (out["ours_sustained"] / out["bare_sustained"]
                              if out["bare_sustained"] else float("nan"))
    target = at_rate(report["ours"], target_rate)
    out["ours_p99_at_target"] = target["p99_ms"] if target else None
    if "two_processes_redis" in report:
        out["two_peak"] = peak(report["two_processes_redis"])
        target = at_rate(report["two_processes_redis"], target_rate)
        out["two_p99_at_target"] = target["p99_ms"] if target else None
    return out


def markdown(report: dict, args) -> str:
    lines = [f"Run: `{' '.join(['python', 'bench/chat_fanout.py'] + sys.argv[1:])}` on "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores "
             f"(load average {os.getloadavg()[0]:.1f} at the end: other jobs shared them), "
             f"{report['clients']} clients in one room, {report['senders']} sender(s), "
             f"{report['duration']:g} s per rate step.", ""]
    for key, title in (("ours", "Ours, one process (eventlet, SQLite)"),
                       ("bare", "Bare Flask-SocketIO + eventlet"),
                       ("two_processes_redis", "Ours, two processes + Redis")):
        if key not in report:
            continue
        lines += [f"**{title}**", "",
                  "| msg/s | deliveries/s | p50 ms | p99 ms | max ms | lost | server CPU ms/msg "
                  "| generator CPU % |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['rate']:.0f} | {r['deliveries_per_s']:.0f} | {r['p50_ms']:.1f} | "
                  f"{r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['lost']} | "
                  f"{r.get('cpu_ms_per_msg', float('nan')):.2f} | "
                  f"{r.get('generator_cpu_pct', float('nan')):.0f} |" for r in report[key]]
        lines.append("")
    s = report["summary"]
    if report.get("ours_fanout"):
        lines.append(f"Our server's broadcast over the whole run: {fanout_line(report['ours_fanout'])}.")
    lines.append(f"Peak deliveries/s with p99 ≤ {P99_LIMIT_MS:.0f} ms: ours {s['ours_peak']:.0f}, "
                 f"bare {s['bare_peak']:.0f}, ratio **{s['ratio']:.2f}**"
                 + (f"; two processes + Redis {s['two_peak']:.0f}" if "two_peak" in s else "") + ".")
    lines.append(f"Sustained (every lower step within the limit too): ours {s['ours_sustained']:.0f}, "
                 f"bare {s['bare_sustained']:.0f}, ratio **{s['sustained_ratio']:.2f}**.")
    if s.get("ours_p99_at_target") is not None:
        lines.append(f"p99 at {args.target_rate:g} msg/s into the room: ours "
                     f"{s['ours_p99_at_target']:.1f} ms"
                     + (f", two processes {s['two_p99_at_target']:.1f} ms"
                        if s.get("two_p99_at_target") is not None else "") + ".")
    return "\n".join(lines) + "\n"


def write_docs(text: str, marker: str = "chat-fanout", heading: str = "## Chat fan-out") -> None:
    """Replace the generated block `<!-- marker:begin/end -->` in docs/benchmarks.md (appended
    under `heading` if the file has no such block yet)."""
    path = ROOT / "docs" / "benchmarks.md"
    begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
    content = path.read_text() if path.exists() else "# Benchmarks\n"
    block = f"{begin}\n{text}{end}"
    if begin in content and end in content:
        head, rest = content.split(begin, 1)
        content = head + block + rest.split(end, 1)[1]
    else:
        content = content.rstrip("\n") + f"\n\n{heading}\n\n" + block + "\n"
    path.write_text(content)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--senders", type=int, default=1)
    parser.add_argument("--rates", default="2,10,50,100,200,300,400,500,600,700,800,900,1000,"
                                           "1100,1200,1400,1600,1800,2000",
                        help="messages per second into the room, one step each")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per rate step")
    parser.add_argument("--target-rate", type=float, default=50.0)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--no-redis", action="store_true", help="skip the two-process run")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    args = parser.parse_args(argv)
    # The generator's event loop: uvloop's costs a third of asyncio's per socket read, which
    # keeps the generator below the servers it measures (its CPU share is in every row).
    previous_policy = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        report = run(args)
    finally:
        asyncio.set_event_loop_policy(previous_policy)
    text = markdown(report, args)
    print("\n" + text)
    if args.write:
        write_docs(text)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
