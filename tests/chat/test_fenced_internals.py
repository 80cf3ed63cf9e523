"""The clever code is fenced: the lean fan-out and the subscription tracking each check, at
start-up, that the python-socketio/engineio internals they rely on are there, and otherwise
step aside for the stock path with a warning."""
import logging

import socketio

from app import create_app
from app.core import fanout, subscription
from app.extensions import socketio as flask_socketio


def test_the_pinned_libraries_have_every_internal_the_fenced_code_needs():
    assert fanout.missing_internals() == []
    assert subscription.supported()


def test_a_missing_internal_turns_the_lean_fanout_off_with_a_warning(monkeypatch, caplog):
    monkeypatch.delattr(socketio.Server, "_send_eio_packet")
    # an earlier test that ran Alembic in-process (logging.fileConfig) may have disabled it
    monkeypatch.setattr(logging.getLogger("app.core.fanout"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="app.core.fanout"):
        assert not fanout.lean_fanout_usable(True)
    assert "socketio.server.Server._send_eio_packet" in caplog.text
    assert "stock broadcast" in caplog.text


def test_a_missing_internal_turns_subscription_tracking_off(monkeypatch):
    monkeypatch.delattr(socketio.RedisManager, "_redis_listen_with_retries")
    assert not subscription.supported()


def test_the_setting_chooses_the_manager(tmp_path):
    stock = create_app("testing", overrides={
        "CHAT_LEAN_FANOUT": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert type(flask_socketio.server.manager) is socketio.Manager
    assert fanout.fanout_stats(flask_socketio.server) is None
    with stock.test_client() as client:
        assert client.get("/healthz").get_json()["fanout"] is None
    create_app("testing", overrides={"CHAT_LEAN_FANOUT": True})
    assert isinstance(flask_socketio.server.manager, fanout.LeanFanoutManager)


def test_with_redis_the_stock_manager_still_tracks_its_subscription(redis_url):
    create_app("testing", overrides={"CHAT_LEAN_FANOUT": False, "REDIS_URL": redis_url})
    manager = flask_socketio.server.manager
    assert isinstance(manager, subscription.TrackedRedisManager)
    assert not isinstance(manager, fanout.LeanFanout)
    create_app("testing", overrides={"CHAT_LEAN_FANOUT": True, "REDIS_URL": redis_url})
    assert isinstance(flask_socketio.server.manager, fanout.LeanFanoutRedisManager)
    assert isinstance(flask_socketio.server.manager, subscription.SubscriptionTracking)
