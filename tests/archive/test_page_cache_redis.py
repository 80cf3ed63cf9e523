"""The page cache on a real Redis shared by two processes' apps: what one caches, the other's
change invalidates at once (the scope's version lives in Redis beside the pages)."""
import uuid

import redis

from app import create_app
from app.archive.importing import import_records
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
