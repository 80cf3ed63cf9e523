"""Health checks for load balancers and scrapers: the database, Redis when configured, and how
far this process's search index trails the database."""
from flask import current_app
from sqlalchemy import text

from ..core.capacity import connection_stats, ready
from ..core.subscription import is_listening
from ..extensions import db, socketio
from ..search import services as search


def check_health() -> dict[str, str]:
    """Return {component: "ok" | error text} for every dependency the app needs."""
    results: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        results["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        db.session.rollback()
        results["database"] = f"error: {type(error).__name__}"
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2).ping()
            results["redis"] = "ok"
        except Exception as error:  # noqa: BLE001
            results["redis"] = f"error: {type(error).__name__}"
    return results


def search_index_lag() -> int | None:
    """How many change-log entries this machine's search index has still to apply
    (docs/search.md); None before the machine has built its index, or when unreadable."""
    try:
        return search.index_lag()
    except Exception:  # noqa: BLE001 - unknown lag counts as too much, never as a 500
        db.session.rollback()
        return None


def readiness() -> tuple[bool, dict]:
    """Ready for new people: dependencies answer, this process hears the others, has room for
    connections, and its search index is no more than READY_MAX_INDEX_LAG changes behind."""
    checks = check_health()
    connections = connection_stats(current_app)
    listening = is_listening(socketio.server)
    lag = search_index_lag()
    lag_ok = lag is not None and lag <= current_app.config["READY_MAX_INDEX_LAG"]
    checks["search_index"] = ("ok" if lag_ok else f"lagging: {lag}" if lag is not None
                              else "not built yet")
    is_ready = (all(state == "ok" for state in checks.values()) and listening
                and ready(connections))
    return is_ready, {"status": "ready" if is_ready else "not ready", "checks": checks,
                      "listening": listening, "connections": connections, "index_lag": lag}
