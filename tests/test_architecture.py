"""House rules that code review alone would miss."""
import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


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
