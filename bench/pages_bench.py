"""Pages benchmark: one real server process (`python wsgi.py`, eventlet) on the demo, each page
driven by ApacheBench (`ab`, C, one thread: not the bottleneck, its CPU is reported) beside the
static-file baseline of the same process, in the same run.

    .venv/bin/python bench/pages_bench.py                  # the demo; writes docs/benchmarks.md
    .venv/bin/python bench/pages_bench.py --large 0.1      # a generated installation, 10 % size
    .venv/bin/python bench/pages_bench.py --requests 2000 --concurrency 20 --no-write

For each page: requests/s, p50/p95 ms (ab's percentiles), server CPU ms per request (utime +
stime of the server from /proc, before and after), ab's own CPU per request, and the page's rate
as a share of the static file's. Anonymous pages are asked for as a first-time visitor would
(no cookie); signed-in pages with Anna's session cookie. `--profile DIR` also records a py-spy
flame graph per page (py-spy must be installed: requirements-dev.txt).
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "bench-secret")

from bench.chat_fanout import cpu_seconds, wait_healthy, write_docs  # noqa: E402

MARKER = "pages"
HEADING = "## Pages under load"
DEMO_PASSWORD = "demo-password"  # noqa: S105 (the demo's, README)
DEMO_CACHE = Path(tempfile.gettempdir()) / "museum-space-pages-demo"


def flask(data_dir: Path, *args: str) -> None:
    env = {**os.environ, "DATA_DIR": str(data_dir), "APP_ENV": "development"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)


def prepare_demo(large: float) -> Path:
    """A data folder holding the demo (and the generated installation when `large`), built
    once and copied for each run so the runs start alike."""
    name = DEMO_CACHE if not large else DEMO_CACHE.with_name(f"{DEMO_CACHE.name}-large-{large}")
    if not (name / "ready").exists():
        shutil.rmtree(name, ignore_errors=True)
        name.mkdir(parents=True)
        flask(name, "db", "upgrade")
        flask(name, "seed", "demo")
        if large:
            from bench.large_installation import generate
            generate(name, scale=large)
        (name / "ready").write_text("ok")
    work = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    shutil.copytree(name, work / "data")
    flask(work / "data", "db", "upgrade")  # a demo built before the newest migration
    return work / "data"


def start_server(data_dir: Path, port: int, redis_url: str | None) -> subprocess.Popen:
    env = {**os.environ, "DATA_DIR": str(data_dir), "PORT": str(port), "HOST": "127.0.0.1",
           "APP_ENV": "development", "RATELIMIT_ENABLED": "0", "SOCKETIO_ASYNC_MODE": "eventlet"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process, timeout=180)  # slow on a loaded machine
    except RuntimeError:
        process.kill()
        raise
    return process


def sign_in(base: str, email: str) -> str:
    """The session cookie of a signed-in person ("name=value")."""
    import requests

    with requests.Session() as http:
        page = http.get(base + "/auth/login", timeout=30).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        answer = http.post(base + "/auth/login", data={
            "email": email, "password": DEMO_PASSWORD, "csrf_token": token},
            allow_redirects=False, timeout=30)
        assert answer.status_code in (302, 303), answer.status_code
        return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def discover(base: str, cookie: str) -> dict[str, str]:
    """Paths of the measured pages, read from the demo's own pages."""
    import requests

    home = requests.get(base + "/", timeout=30).text
    static = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
    archive = requests.get(base + "/archive/", timeout=30).text
    case_study = re.search(r'href="(/archive/(?!stats|feed|export|review)[a-z0-9-]+)"',
                           archive).group(1)
    projects = requests.get(base + "/projects/", headers={"Cookie": cookie}, timeout=30).text
    project = re.search(r'href="(/projects/(?!new|all)[a-z0-9-]+/)"', projects).group(1)
    return {
        "static file (baseline)": static,
        "/healthz": "/healthz",
        "home": "/",
        "archive listing": "/archive/",
        "archive search ?q=museum": "/archive/?q=museum",
        "a case study": case_study,
        "statistics": "/archive/stats",
        "directory": "/directory/",
        "calls": "/calls",
        "projects (signed in)": "/projects/",
        "overview (signed in)": project,
        "discussion list (signed in)": project + "discussion/",
        "documents list (signed in)": project + "documents/",
        "chat page (signed in)": project + "chat",
    }


def run_ab(url: str, requests_count: int, concurrency: int, cookie: str | None,
           server_pid: int, headers: dict | None = None) -> dict:
    command = ["ab", "-q", "-n", str(requests_count), "-c", str(concurrency), "-k"]
    if cookie:
        command += ["-C", cookie]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = cpu_seconds([server_pid])
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu_after = cpu_seconds([server_pid])
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    ab_cpu = (after_children.ru_utime + after_children.ru_stime
              - before_children.ru_utime - before_children.ru_stime)

    def number(pattern: str) -> float:
        found = re.search(pattern, output)
        return float(found.group(1)) if found else float("nan")

    failed = int(number(r"Failed requests:\s+(\d+)"))
    non_2xx = number(r"Non-2xx responses:\s+(\d+)")
    return {
        "rps": number(r"Requests per second:\s+([\d.]+)"),
        "p50": number(r"\n\s+50%\s+(\d+)"),
        "p95": number(r"\n\s+95%\s+(\d+)"),
        "cpu_ms": 1000 * (cpu_after - cpu_before) / requests_count,
        "ab_cpu_ms": 1000 * ab_cpu / requests_count,
        "errors": failed + (0 if non_2xx != non_2xx else int(non_2xx)),
        "bytes": int(number(r"Document Length:\s+(\d+)")),
    }


def profile(pid: int, url: str, cookie: str | None, out: Path, seconds: int, concurrency: int):
    """A py-spy flame graph (and raw collapsed stacks) of the server while `ab` drives `url`."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    recorder = subprocess.Popen([spy, "record", "-p", str(pid), "-d", str(seconds), "-r", "250",
                                 "-f", "raw", "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    command = ["ab", "-q", "-t", str(seconds), "-n", "1000000", "-c", str(concurrency), "-k"]
    if cookie:
        command += ["-C", cookie]
    subprocess.run(command + [url], capture_output=True)
    recorder.wait()


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def table(rows: list[tuple[str, dict]], concurrency: int) -> str:
    static_rps, static_cpu = rows[0][1]["rps"], rows[0][1]["cpu_ms"]
    lines = [f"| page ({concurrency} concurrent clients) | requests/s | share of static | "
             "p50 ms | p95 ms | server CPU ms/request | CPU share of static | ab CPU ms/request | "
             "errors |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows:
        lines.append(f"| {name} | {r['rps']:.0f} | {r['rps'] / static_rps:.0%} | {r['p50']:.0f} | "
                     f"{r['p95']:.0f} | {r['cpu_ms']:.2f} | {r['cpu_ms'] / static_cpu:.0%} | "
                     f"{r['ab_cpu_ms']:.2f} | {r['errors']} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> list:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--large", type=float, default=0.0,
                        help="also generate a large installation at this scale (1 = 2,000 "
                             "organisations, 1,000 projects, 10,000 case studies)")
    parser.add_argument("--redis-url", default=None, help="run the server with REDIS_URL")
    parser.add_argument("--only", default="", help="comma-separated page names (substrings)")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy raw profiles here")
    parser.add_argument("--label", default="", help="a label for the written table")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not shutil.which("ab"):
        sys.exit("needs ApacheBench: apt-get install apache2-utils")

    from tests.live import _free_port

    data_dir = prepare_demo(args.large)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(data_dir, port, args.redis_url)
    try:
        cookie = sign_in(base, "anna@museo-demo.eu")
        pages = discover(base, cookie)
        wanted = [w for w in args.only.split(",") if w]
        rows = []
        load_before = load_average()
        for name, path in pages.items():
            if wanted and not name.startswith("static") and not any(w in name for w in wanted):
                continue
            signed_in = "signed in" in name
            url = base + urllib.parse.quote(path, safe="/?=&%")
            run_ab(url, 100, 4, cookie if signed_in else None, server.pid)  # warm up
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
                profile(server.pid, url, cookie if signed_in else None,
                        args.profile / f"{slug}.txt", 8, args.concurrency)
            result = run_ab(url, args.requests, args.concurrency,
                            cookie if signed_in else None, server.pid)
            rows.append((name, result))
            print(f"{name:32} {result['rps']:7.0f}/s  p50 {result['p50']:4.0f}  "
                  f"p95 {result['p95']:4.0f} ms  server {result['cpu_ms']:6.2f} ms/req  "
                  f"ab {result['ab_cpu_ms']:.2f} ms/req  errors {result['errors']}", flush=True)
        load_after = load_average()
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(data_dir.parent, ignore_errors=True)
    size = f"generated installation (scale {args.large})" if args.large else "the demo"
    text = (f"{args.label + ': ' if args.label else ''}one `python wsgi.py` process (eventlet, "
            f"SQLite{', Redis' if args.redis_url else ''}) on {size}; `ab -k -c "
            f"{args.concurrency} -n {args.requests}` per page; load average before / after: "
            f"{load_before} → {load_after} ({os.cpu_count()} cores shared).\n\n"
            + table(rows, args.concurrency))
    print("\n" + text)
    if not args.no_write and not args.only:
        write_docs(text, MARKER + ("-large" if args.large else ""),
                   HEADING + (" (large installation)" if args.large else ""))
    return rows


if __name__ == "__main__":
    main()
