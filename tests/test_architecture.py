"""House rules that code review alone would miss.

The import rules read every module's syntax tree, so an import hidden inside a function (or an
`import_module("app....")` with a literal name) counts like one at the top of the file.

Rooms, lowest first: `extensions` < `core/` < `policy` < `search/` and `api/` (the JSON
blueprint) < the features < the composition root (`app/__init__.py`, `app/cli.py`), which wires
everything together. A room imports only rooms at its own level or below; features import each
other without cycles.
"""
import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"

#: the lower rooms and their rank; features rank above them all, the composition root on top
LOWER_RANKS = {"extensions": 0, "core": 1, "policy": 2, "search": 3, "api": 3}
FEATURE_RANK, ROOT_RANK = 4, 5
COMPOSITION_ROOT = {"app", "app.cli"}

#: feature → feature imports that break a rule and are not ours to fix in this change. Each
#: entry names the importer, the imported module and why it is still here. Keep it empty.
ALLOWED_FEATURE_IMPORTS: set[tuple[str, str]] = set()

#: door modules that still query the database themselves (see test_doors_query_nothing), each
#: with the reason. Keep it empty.
ALLOWED_QUERYING_DOORS: set[str] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def app_modules() -> dict[str, Path]:
    return {module_name(path): path for path in APP.rglob("*.py")}


def _resolve(importer: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = importer.split(".") if path.name == "__init__.py" else importer.split(".")[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def imports_of(module: str) -> frozenset[tuple[str, int]]:
    """(imported app module, line) for every import anywhere in the module, functions included."""
    path = app_modules()[module]
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, path, node)
            # `from .. import extensions` imports the module app.extensions
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in app_modules() else base
                     for alias in node.names]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)):
            names = [str(node.args[0].value)]
        for name in names:
            if name == "app" or name.startswith("app."):
                found.add((name, node.lineno))
    return frozenset(found)


def room_of(module: str) -> str:
    """`core`, `policy`, `search`, a feature's name, or `app` for the composition root."""
    if module in COMPOSITION_ROOT:
        return "app"
    return module.split(".")[1]


def rank_of(module: str) -> int:
    room = room_of(module)
    if room == "app":
        return ROOT_RANK
    return LOWER_RANKS.get(room, FEATURE_RANK)


def features() -> set[str]:
    return {room_of(m) for m in app_modules() if rank_of(m) == FEATURE_RANK}


def test_the_rooms_are_the_ones_the_docs_describe():
    assert {"auth", "orgs", "projects", "documents", "files", "discussion", "chat",
            "notifications", "archive", "calls", "evaluation", "pilots", "main", "backup"} == features()
    assert {"core", "policy", "extensions", "search", "api"} <= {room_of(m) for m in app_modules()}


def test_function_level_imports_are_seen():
    # app/__init__.py imports its CLI inside create_app; the scanner must find it.
    assert "app.cli" in {name for name, _line in imports_of("app")}


def test_imports_run_down_never_up():
    """core/, policy.py, extensions.py and search/ import no feature, not even in a function;
    nothing but the composition root imports the composition root."""
    offenders = []
    for module in sorted(app_modules()):
        for imported, line in sorted(imports_of(module)):
            if imported not in app_modules() and not any(
                    m.startswith(imported + ".") for m in app_modules()):
                offenders.append(f"{module}:{line} imports {imported}, which does not exist")
            elif rank_of(imported) > rank_of(module):
                offenders.append(f"{module}:{line} ({room_of(module)}) imports {imported} "
                                 f"({room_of(imported)}), a higher room")
    assert offenders == []


def _feature_graph() -> dict[str, dict[str, list[str]]]:
    """{feature: {imported feature: ["module:line imports module", ...]}}"""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for module in app_modules():
        if rank_of(module) != FEATURE_RANK:
            continue
        for imported, line in imports_of(module):
            if rank_of(imported) == FEATURE_RANK and room_of(imported) != room_of(module) \
                    and (module, imported) not in ALLOWED_FEATURE_IMPORTS:
                graph[room_of(module)][room_of(imported)].append(f"{module}:{line} → {imported}")
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Every strongly connected group of more than one feature (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in graph.get(node, {}):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_features_import_each_other_without_cycles():
    graph = _feature_graph()
    report = []
    for group in _cycles(graph):
        report.append(" ↔ ".join(group) + ": " + "; ".join(
            edge for a in group for b in group if b in graph[a] for edge in graph[a][b]))
    assert report == []


def test_modules_import_each_other_without_cycles():
    """Inside a room too (search's indexer and outbox used to import each other). A package
    importing its own modules (`from . import routes` to register a blueprint's views) is the
    one exception: its modules import `bp` back from it."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for module in app_modules():
        for imported, line in imports_of(module):
            if imported in app_modules() and imported != module \
                    and not imported.startswith(module + "."):
                graph[module].setdefault(imported, []).append(f"{module}:{line} → {imported}")
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {"a": []}}) == [
        ["a", "b", "c"]]
    assert _cycles({"a": {"b": []}, "b": {}}) == []


DOOR = re.compile(r"^app(\.[a-z_]+)?\.(routes|api|cli|events|[a-z_]+_routes)$")
QUERY_CALLS = {"execute", "scalars", "scalar", "get", "query", "select"}


def _queries_in(module: str) -> list[int]:
    """Lines that touch the database directly: db.session.<query>(...), db.select, select(...),
    Model.query."""
    tree = ast.parse(app_modules()[module].read_text())
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            text = ast.unparse(node)
            if text.startswith("db.session.") and node.attr in QUERY_CALLS or \
                    text == "db.select" or (node.attr == "query" and text[:1].isupper()):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "select":
            lines.append(node.lineno)
    return lines


def test_doors_query_nothing():
    """Routes, API endpoints, socket handlers and CLI commands call services; they never query."""
    doors = [m for m in app_modules() if DOOR.match(m)]
    assert "app.files.cli" in doors and "app.archive.routes" in doors and "app.cli" in doors
    offenders = {m: _queries_in(m) for m in sorted(doors) if m not in ALLOWED_QUERYING_DOORS}
    assert {m: lines for m, lines in offenders.items() if lines} == {}


def test_no_code_in_app_imports_eventlet_or_gevent():
    pattern = re.compile(r"^\s*(import|from)\s+(eventlet|gevent)\b", re.MULTILINE)
    offenders = [str(path) for path in APP.rglob("*.py") if pattern.search(path.read_text())]
    assert offenders == []


def test_blocking_work_runs_inline_without_a_green_thread_runner():
    from app.core.blocking import run_blocking, set_blocking_runner

    calls = []
    assert run_blocking(lambda x: x * 2, 21) == 42
    set_blocking_runner(lambda function, *args: calls.append(function) or function(*args))
    try:
        assert run_blocking(lambda x: x + 1, 1) == 2
    finally:
        set_blocking_runner(None)
    assert len(calls) == 1
