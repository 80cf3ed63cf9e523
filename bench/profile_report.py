"""Where a page's time goes, from py-spy's raw (collapsed) stacks of the server under load.

    .venv/bin/python bench/profile_report.py /tmp/profiles/*.txt
    .venv/bin/python bench/profile_report.py --table /tmp/profiles/*.txt   # one table

For each file: the share of samples spent inside each area (inclusive: a stack counts for every
area one of its frames belongs to, so the areas overlap: Babel inside Jinja counts for both),
and the top functions by own time (the leaf frame), idle samples (the hub waiting) left out.
`bench/pages_bench.py --profile DIR` records the files.
"""
import re
import sys
from collections import Counter
from pathlib import Path

#: area: a pattern any frame of the stack matches
AREAS = {
    "SQLAlchemy ORM / Core": r"sqlalchemy/",
    "SQL execution (the database driver)": r"do_execute|psycopg/|Cursor\.execute|fetchall \(",
    "Jinja rendering": r"jinja2/|\(templates/|\.html:",
    "Babel / Flask-Babel (lazy strings, formats)": r"babel/|flask_babel/",
    "session user load (Flask-Login, auth.sessions)": r"_load_user|load_signed_in_user|_user_from",
    "policy lookups (app/policy.py)": r"app/policy\.py|policy\.py",
    "facet counting (archive queries / search facets)": r"facet",
    "Whoosh search": r"whoosh/",
    "Markdown": r"markdown_it/|core/markdown\.py|nh3",
    "Werkzeug / Flask dispatch": r"werkzeug/|flask/app\.py",
    "Flask-Compress": r"flask_compress/",
    "eventlet hub / sockets": r"eventlet/",
}
#: a leaf frame that waits rather than works (the hub, a lock, the thread pool)
IDLE = re.compile(r"eventlet/hubs/|^(Condition|Event|Semaphore)\.wait |\.switch \(|^sleep |^trampoline ")


def read(path: Path) -> Counter:
    stacks = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks[stack] += int(count)
    return stacks


def report(path: Path, top: int = 12) -> str:
    stacks = read(path)
    busy = Counter({s: n for s, n in stacks.items() if not IDLE.search(s.split(";")[-1])})
    idle = 1 - sum(busy.values()) / (sum(stacks.values()) or 1)
    total = sum(busy.values()) or 1
    lines = [f"**{path.stem}** ({total} busy samples, {idle:.0%} of all samples idle)", "",
             "| area (inclusive) | share |", "|---|---:|"]
    for area, pattern in AREAS.items():
        regex = re.compile(pattern)
        share = sum(n for s, n in busy.items() if regex.search(s)) / total
        lines.append(f"| {area} | {share:.0%} |")
    leaves = Counter()
    for stack, n in busy.items():
        leaf = stack.split(";")[-1]
        leaves[re.sub(r":\d+\)$", ")", leaf)] += n
    lines += ["", "| top own time | share |", "|---|---:|"]
    for leaf, n in leaves.most_common(top):
        lines.append(f"| `{leaf[:90]}` | {n / total:.0%} |")
    return "\n".join(lines) + "\n"


def matrix(paths: list[Path], top: int = 3) -> str:
    """One table: the areas (rows) of every page (columns), then each page's top own times."""
    busy_of = {}
    for path in paths:
        stacks = read(path)
        busy_of[path.stem] = Counter({s: n for s, n in stacks.items()
                                      if not IDLE.search(s.split(";")[-1])})
    names = list(busy_of)
    lines = ["| area (inclusive share of busy samples) | " + " | ".join(names) + " |",
             "|---|" + "---:|" * len(names)]
    for area, pattern in AREAS.items():
        regex = re.compile(pattern)
        cells = []
        for name in names:
            busy = busy_of[name]
            total = sum(busy.values()) or 1
            cells.append(f"{sum(n for s, n in busy.items() if regex.search(s)) / total:.0%}")
        lines.append(f"| {area} | " + " | ".join(cells) + " |")
    lines += ["", "| page | top own time (leaf function, share of busy samples) |", "|---|---|"]
    for name in names:
        busy, leaves = busy_of[name], Counter()
        total = sum(busy.values()) or 1
        for stack, n in busy.items():
            leaves[re.sub(r":\d+\)$", ")", stack.split(";")[-1])] += n
        tops = "; ".join(f"`{leaf.split(' (')[0]}` {n / total:.0%}"
                         for leaf, n in leaves.most_common(top))
        lines.append(f"| {name} | {tops} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--table"]:
        print(matrix([Path(name) for name in sys.argv[2:]]))
    else:
        for name in sys.argv[1:]:
            print(report(Path(name)))
