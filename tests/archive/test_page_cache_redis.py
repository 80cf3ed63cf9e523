"""The page cache on a real Redis shared by two processes' apps: what one caches, the other's
change invalidates at once (the scope's version lives in Redis beside the pages)."""
import uuid

import redis

from app import create_app
from app.archive.importing import import_records
from app.extensions import db
from app.search.services import apply_pending_changes
from tests.conftest import IsolatedClient

from .factories import published, record


def redis_cached_app(app, redis_url: str, prefix: str):
    other = create_app("testing", socketio_async_mode="threading", overrides={
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix})
    other.test_client_class = IsolatedClient
    return other


def test_a_change_in_one_process_is_seen_at_once_by_the_other(app, redis_url):
    prefix = f"test-pages-{uuid.uuid4().hex[:8]}:"
    serving, publishing = (redis_cached_app(app, redis_url, prefix) for _ in range(2))
    slug = published(title="Photogrammetry of the lapidarium, first edition")
    visitor = serving.test_client()
    assert visitor.get("/archive/stats").status_code == 200  # its figures cached in Redis too
    first = visitor.get("/archive/")
    assert "first edition" in first.get_data(as_text=True)
    assert visitor.get("/archive/").headers["ETag"] == first.headers["ETag"]
    store = redis.Redis.from_url(redis_url)
    try:
        assert any(key.startswith(f"{prefix}page:".encode()) for key in store.keys(f"{prefix}*"))
        with publishing.app_context():
            report = import_records([record(slug=slug, title="Photogrammetry, second edition")])
            assert not report.errors
        for url in ("/archive/", f"/archive/{slug}", "/archive/feed.atom"):
            body = visitor.get(url).get_data(as_text=True)
            assert "second edition" in body and "first edition" not in body, url
    finally:
        keys = store.keys(f"{prefix}*")
        if keys:
            store.delete(*keys)


def test_a_machine_whose_index_catches_up_later_stops_serving_its_older_search_page(
        app, redis_url, tmp_path_factory, monkeypatch):
    """Two machines (own DATA_DIR, so own index) share the database and the page cache. The
    publisher's signals come before the other machine's index has the case study: the search
    page that machine renders meanwhile must not outlive its index catching up."""
    prefix = f"test-pages-{uuid.uuid4().hex[:8]}:"
    publishing = redis_cached_app(app, redis_url, prefix)
    monkeypatch.setenv("DATA_DIR", str(tmp_path_factory.mktemp("machine-b")))
    serving = redis_cached_app(app, redis_url, prefix)
    assert serving.config["INDEX_DIR"] != publishing.config["INDEX_DIR"]
    visitor = serving.test_client()
    with serving.app_context():
        apply_pending_changes()  # this machine has built its (empty) index
    assert "No case study matches" in visitor.get("/archive/?q=lapidarium").get_data(as_text=True)
    store = redis.Redis.from_url(redis_url)
    try:
        with publishing.app_context():
            assert not import_records([record(slug="lapidarium",
                                              title="Photogrammetry of the lapidarium")]).errors
        stale = visitor.get("/archive/?q=lapidarium").get_data(as_text=True)
        assert "Photogrammetry of the lapidarium" not in stale  # this index has not caught up
        with serving.app_context():
            assert apply_pending_changes() == 1  # what the follower does every half second
        fresh = visitor.get("/archive/?q=lapidarium").get_data(as_text=True)
        assert "Photogrammetry of the lapidarium" in fresh
    finally:
        keys = store.keys(f"{prefix}*")
        if keys:
            store.delete(*keys)
        for machine in (publishing, serving):
            with machine.app_context():
                db.session.remove()
