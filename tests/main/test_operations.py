"""What an operator reads: liveness and readiness, the Prometheus metrics of a process, and
JSON log lines with a request id (docs: README, Production)."""
import io
import json
import logging
import re
import socket

import pytest

from app import create_app
from app.core.logs import JsonFormatter, json_handler
from app.extensions import db
from app.notifications.mail import send_email
from app.search.models import SearchChange
from app.search.services import apply_pending_changes
from tests.conftest import IsolatedClient, socket_client_for
from tests.factories import make_project, make_user

TOKEN = "a-scraper-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def metrics_app(app):
    app.config.update(METRICS_ENABLED=True, METRICS_TOKEN=TOKEN)
    return app


def scrape(client) -> dict[str, float]:
    """{series with labels: value} of one scrape."""
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=0.0.4")
    values = {}
    for line in response.get_data(as_text=True).splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


# --- liveness and readiness -------------------------------------------------------------------

def test_liveness_asks_nothing_but_the_process(client):
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "alive"}


def test_readiness_waits_for_the_machines_search_index(client):
    response = client.get("/healthz/ready")  # nothing has built this machine's index yet
    assert response.status_code == 503
    assert response.get_json()["checks"]["search_index"] == "not built yet"
    assert response.get_json()["index_lag"] is None


def test_readiness_checks_dependencies_and_the_index_lag(client):
    apply_pending_changes()  # the first look builds the index, as a server's follower does
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready" and body["index_lag"] == 0
    assert body["checks"] == {"database": "ok", "search_index": "ok"}


def test_readiness_fails_while_the_index_lags_beyond_the_threshold(app, client):
    app.config["READY_MAX_INDEX_LAG"] = 2
    apply_pending_changes()
    db.session.add_all([SearchChange(record_id=n, slug=f"case-{n}") for n in range(3)])
    db.session.commit()  # three entries this machine has not applied
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready" and body["index_lag"] == 3
    assert body["checks"]["search_index"] == "lagging: 3"
    assert client.get("/healthz/live").status_code == 200  # alive all the same
    assert client.get("/healthz").status_code == 200
    app.config["READY_MAX_INDEX_LAG"] = 3
    assert client.get("/healthz/ready").status_code == 200


def test_readiness_and_liveness_with_the_database_down(tmp_path):
    broken = create_app("testing", socketio_async_mode="threading", overrides={
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing-dir' / 'nope.db'}"})
    broken.test_client_class = IsolatedClient
    with broken.app_context():
        client = broken.test_client()
        ready, live = client.get("/healthz/ready"), client.get("/healthz/live")
        db.engine.dispose()
    assert live.status_code == 200
    assert ready.status_code == 503 and ready.mimetype == "application/json"
    body = ready.get_json()
    assert body["checks"]["database"].startswith("error:") and body["index_lag"] is None


# --- metrics ------------------------------------------------------------------------------------

def test_metrics_are_off_by_default(client):
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 404
    assert response.mimetype == "application/json"


def test_request_latency_is_counted_per_endpoint(metrics_app, client):
    before = scrape(client)
    client.get("/healthz/live")
    client.get("/no-such-page")
    after = scrape(client)
    series = 'museum_http_request_duration_seconds_count{endpoint="main.liveness",method="GET"}'
    assert after[series] == before.get(series, 0) + 1
    missing = 'museum_http_requests_total{endpoint="unmatched",method="GET",status="404"}'
    assert after[missing] == before.get(missing, 0) + 1
    assert after["museum_socketio_connections"] == 0
    assert after["museum_search_index_lag"] == -1  # no index built on this machine yet
    assert "process_resident_memory_bytes" in after


def test_chat_messages_and_refused_events_are_counted(metrics_app, client):
    lead, outsider = make_user(), make_user()
    project = make_project(lead=lead)
    slug = project.slug
    before = scrape(client)
    anonymous = socket_client_for(metrics_app, metrics_app.test_client())
    assert not anonymous.is_connected()
    from tests.conftest import client_for

    member = socket_client_for(metrics_app, client_for(metrics_app, lead))
    assert member.emit("join", {"project": slug}, callback=True)["ok"]
    assert member.emit("message", {"project": slug, "body": "Counted",
                                   "client_id": "0b6f3c1e-8a43-4a8e-9d3f-6f5c2a1b7e10"},
                       callback=True)["ok"]
    stranger = socket_client_for(metrics_app, client_for(metrics_app, outsider))
    assert not stranger.emit("join", {"project": slug}, callback=True)["ok"]
    after = scrape(client)
    member.disconnect()
    stranger.disconnect()
    assert after["museum_chat_messages_total"] == before.get("museum_chat_messages_total", 0) + 1
    refused_join = 'museum_socketio_events_refused_total{event="join",reason="NotFound"}'
    assert after[refused_join] == before.get(refused_join, 0) + 1
    refused_connect = 'museum_socketio_events_refused_total{event="connect",reason="SignedOut"}'
    assert after[refused_connect] == before.get(refused_connect, 0) + 1


def test_refused_co_editing_events_are_counted_too(metrics_app, client):
    from tests.conftest import client_for

    editor = socket_client_for(metrics_app, client_for(metrics_app, make_user()))
    before = scrape(client)
    assert not editor.emit("doc_join", "not an object", callback=True)["ok"]
    editor.disconnect()
    series = 'museum_socketio_events_refused_total{event="doc_join",reason="ValidationError"}'
    assert scrape(client)[series] == before.get(series, 0) + 1


def test_search_latency_is_observed(metrics_app, client):
    before = scrape(client).get("museum_search_duration_seconds_count", 0)
    assert client.get("/archive/?q=mosaic").status_code == 200
    assert scrape(client)["museum_search_duration_seconds_count"] == before + 1


def test_an_email_the_server_cannot_take_is_counted(metrics_app, client):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    metrics_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    before = scrape(client).get("museum_email_failures_total", 0)
    assert send_email("someone@example.org", "Subject", "Body") is False
    assert scrape(client)["museum_email_failures_total"] == before + 1


# --- logs ---------------------------------------------------------------------------------------

def test_json_formatter_writes_one_object_per_line_with_the_request_fields(app):
    stream = io.StringIO()
    logger = logging.getLogger("tests.json")
    logger.addHandler(json_handler(stream))
    logger.propagate = False
    try:
        logger.warning("outside a request")
        with app.test_request_context("/archive/", method="GET"):
            from flask import g

            g.request_id = "abc123"
            try:
                raise ValueError("boom")
            except ValueError:
                logger.exception("inside a request, with \"quotes\"\nand a newline")
    finally:
        logger.handlers.clear()
        logger.propagate = True
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    outside, inside = (json.loads(line) for line in lines)
    assert set(outside) == {"time", "level", "logger", "message"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", outside["time"])
    assert outside["level"] == "WARNING" and outside["logger"] == "tests.json"
    assert inside["message"] == "inside a request, with \"quotes\"\nand a newline"
    assert inside["request_id"] == "abc123" and inside["path"] == "/archive/"
    assert inside["method"] == "GET" and "ValueError: boom" in inside["exception"]


@pytest.fixture
def json_app(app):
    """An app with LOG_FORMAT=json; the JSON handler it adds to the root logger goes after."""
    before = list(logging.getLogger().handlers)
    other = create_app("testing", socketio_async_mode="threading", overrides={
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "LOG_FORMAT": "json",
        "PROXY_COUNT": 1})
    other.test_client_class = IsolatedClient
    yield other
    root = logging.getLogger()
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)


def test_every_request_is_logged_once_as_json_with_status_and_duration(json_app):
    added = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert len(added) == 1
    stream = io.StringIO()
    added[0].setStream(stream)
    response = json_app.test_client().get("/healthz/live", headers={"X-Request-ID": "nginx-42"})
    assert response.headers["X-Request-ID"] == "nginx-42"  # the proxy's id, trusted (PROXY_COUNT)
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [r for r in records if r["logger"] == "museum.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == "nginx-42" and access[0]["path"] == "/healthz/live"
    assert access[0]["status"] == 200 and access[0]["duration_ms"] >= 0
    assert access[0]["message"] == "GET /healthz/live 200"


def test_a_request_id_is_made_when_no_trusted_proxy_gives_one(client):
    first = client.get("/healthz/live", headers={"X-Request-ID": "forged-by-a-client"})
    second = client.get("/healthz/live")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
