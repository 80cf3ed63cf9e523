"""The presence registry on both backends: one heartbeat refreshes every entry of this process in
one go, lets the entries of a dead process expire, and never brings back an entry that another
process removed (a removed member)."""
import time
import uuid

import pytest

from app.chat.presence import TTL, MemoryBackend, PresenceStore, RedisBackend


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return PresenceStore(MemoryBackend(), "test")
    redis_url = request.getfixturevalue("redis_url")
    return PresenceStore(RedisBackend(redis_url), f"presence-test-{uuid.uuid4().hex[:8]}")


def test_a_heartbeat_keeps_this_process_online_and_reports_who_expired(store):
    for n in range(300):
        store.add(n % 3, f"sid{n}", n, f"Person {n}")
    # a process that died: its entry's time is up and nobody refreshes it
    store.backend.add(store.key(1), "ghost|999|Ghost", time.time() - 1)
    changed = store.heartbeat()
    assert changed == {1}
    assert len(store.online(0)) == len(store.online(1)) == len(store.online(2)) == 100
    entries, _expired = store.entries(0)
    assert all(store.backend.refresh_many([(store.key(0), e)], time.time() + TTL) == [True]
               for e in entries[:3])


def test_an_entry_removed_by_another_process_does_not_come_back(store):
    store.add(7, "sid-a", 1, "Anna")
    store.add(7, "sid-b", 2, "Bruno")
    store.backend.remove(store.key(7), "sid-b|2|Bruno")  # the member was removed, elsewhere
    assert store.heartbeat() == set()
    assert [p["name"] for p in store.online(7)] == ["Anna"]
    assert "sid-b" not in store.local or 7 not in store.local["sid-b"]


def test_refresh_many_answers_in_order(store):
    store.add(3, "one", 1, "One")
    answers = store.backend.refresh_many(
        [(store.key(3), "one|1|One"), (store.key(3), "two|2|Two")], time.time() + TTL)
    assert answers == [True, False]
