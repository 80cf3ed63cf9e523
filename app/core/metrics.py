"""What this process counts for Prometheus (`prometheus_client`), and the text `/metrics` serves.

Every metric is defined here, once; features count through the names below
(`CHAT_MESSAGES.inc()`), the request hooks time every HTTP request by endpoint, and the gauges
that describe a state (open connections, search index lag) are read when a scrape asks.
Who may scrape is the policy's business (`metrics.read`); the door is `app/main/routes.py`.

One registry per process, on purpose: production runs one gunicorn worker per process (Socket.IO
needs it), so each process is scraped on its own address (`127.0.0.1:8001/metrics`,
`127.0.0.1:8002/metrics`…), never through nginx, and Prometheus's `instance` label tells them
apart. prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR) is not used: it exists
for several workers behind one port, which this deployment never runs.
"""
from dataclasses import dataclass

from flask import Flask, request
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from .logs import request_seconds

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)  # memory, CPU, open files, start time of this process

#: Latency buckets in seconds: pages and APIs answer in milliseconds, uploads take seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUEST_SECONDS = Histogram(
    "museum_http_request_duration_seconds", "HTTP request latency by endpoint (Flask views).",
    ["endpoint", "method"], buckets=LATENCY_BUCKETS, registry=REGISTRY)
HTTP_REQUESTS = Counter(
    "museum_http_requests", "HTTP requests answered, by endpoint and status.",
    ["endpoint", "method", "status"], registry=REGISTRY)
SOCKET_EVENTS_REFUSED = Counter(
    "museum_socketio_events_refused", "Socket.IO connections and events refused, by event and "
    "reason (the error's class: PermissionDenied, RateLimited, ValidationError…).",
    ["event", "reason"], registry=REGISTRY)
CHAT_MESSAGES = Counter(
    "museum_chat_messages", "Chat messages stored (retries of a stored message not counted).",
    registry=REGISTRY)
SEARCH_SECONDS = Histogram(
    "museum_search_duration_seconds", "Archive search latency (query, facets, one page of hits).",
    buckets=LATENCY_BUCKETS, registry=REGISTRY)
EMAIL_FAILURES = Counter(
    "museum_email_failures", "E-mails the SMTP server refused or could not be reached for.",
    registry=REGISTRY)


@dataclass(frozen=True)
class ScrapeRequest:
    """What a scraper shows: the bearer token it sent and the address it comes from."""

    token: str | None
    address: str | None


def scrape_request() -> ScrapeRequest:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return ScrapeRequest(token=token.strip() or None if scheme.lower() == "bearer" else None,
                         address=request.remote_addr)


class _StateCollector:
    """What is read from the process's state at each scrape rather than counted as it happens:
    the connection gate (app/core/capacity.py, which gunicorn.conf.py loads on its own, so it
    imports nothing) and the search index lag."""

    def __init__(self):
        self.connections: dict | None = None
        self.index_lag: int | None = None

    def collect(self):
        stats = self.connections or {"open": 0, "limit": 0, "refused": 0}
        yield GaugeMetricFamily("museum_socketio_connections",
                                "Socket.IO connections open in this process.", value=stats["open"])
        yield GaugeMetricFamily("museum_socketio_connection_limit",
                                "Socket.IO connections this process holds at most (MAX_CONNECTIONS).",
                                value=stats["limit"])
        yield CounterMetricFamily("museum_socketio_handshakes_refused",
                                  "New Socket.IO connections refused because the process was full.",
                                  value=stats["refused"])
        yield GaugeMetricFamily("museum_search_index_lag",
                                "Change-log entries this machine's search index has still to apply "
                                "(-1: not built yet, or unreadable).",
                                value=-1 if self.index_lag is None else self.index_lag)


_state = _StateCollector()
REGISTRY.register(_state)


def exposition(connections: dict | None, index_lag: int | None) -> tuple[bytes, str]:
    """The Prometheus text of this process, with its state (`connection_stats`, lag) as now."""
    _state.connections, _state.index_lag = connections, index_lag
    return generate_latest(REGISTRY), CONTENT_TYPE_PLAIN_0_0_4  # the text format it writes


def register(app: Flask) -> None:
    """Time every HTTP request by endpoint, on the clock `logs` starts (register logs first).
    Socket.IO traffic never reaches Flask's hooks."""

    @app.after_request
    def _observe(response):
        seconds = request_seconds()
        if seconds is not None:
            endpoint = request.endpoint or "unmatched"  # 404s share one label: no free-form paths
            HTTP_REQUEST_SECONDS.labels(endpoint, request.method).observe(seconds)
            HTTP_REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        return response
