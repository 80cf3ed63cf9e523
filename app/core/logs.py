"""Logs: `LOG_FORMAT=json` for one JSON object per line, a request id on every request.

Every request gets an id: the proxy's `X-Request-ID` when a proxy is trusted (`PROXY_COUNT`;
nginx sends its `$request_id`), else a new one; it is echoed in the response's `X-Request-ID`
header and carried by every log record written during the request. With `LOG_FORMAT=json` the
root logger writes JSON lines to stderr (`time`, `level`, `logger`, `message`, and inside a
request `request_id`, `method`, `path`; the access record `museum.access` adds `status` and
`duration_ms`; `exception` when there is one), and each request is logged once as it ends.
The default (`text`) leaves logging as Flask and gunicorn set it up.
"""
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from time import perf_counter

from flask import Flask, g, has_request_context, request

ACCESS_LOGGER = "museum.access"
#: what a proxy's request id may look like (nginx's $request_id is 32 hex digits)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_seconds() -> float | None:
    """Seconds since the current request began (None outside a timed request)."""
    started = g.get("request_started") if has_request_context() else None
    return None if started is None else perf_counter() - started


class RequestFields(logging.Filter):
    """Adds the current request's id, method and path to every record written during it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id")
            record.method, record.path = request.method, request.path
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; fields that do not apply are left out."""

    FIELDS = ("request_id", "method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestFields())
    return handler


def _configure_json_logging(app: Flask) -> None:
    from flask.logging import default_handler

    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.addHandler(json_handler())  # once per process, however many apps it builds
    root.setLevel(app.config["LOG_LEVEL"])
    app.logger.removeHandler(default_handler)  # the app's records go to the root's JSON handler


def register(app: Flask) -> None:
    json_logs = app.config["LOG_FORMAT"] == "json"
    if json_logs:
        _configure_json_logging(app)
    trust_proxy = bool(app.config["PROXY_COUNT"])
    access = logging.getLogger(ACCESS_LOGGER)

    @app.before_request
    def _begin():
        g.request_started = perf_counter()
        given = request.headers.get("X-Request-ID", "") if trust_proxy else ""
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def _end(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
        seconds = request_seconds()
        if json_logs and seconds is not None:
            access.info("%s %s %s", request.method, request.path, response.status_code,
                        extra={"status": response.status_code,
                               "duration_ms": round(seconds * 1000, 1)})
        return response
