"""Health checks for load balancers: the database, and Redis when configured."""
from flask import current_app
from sqlalchemy import text

from ..extensions import db


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
