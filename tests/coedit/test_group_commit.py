"""Relay before store and group commit of `doc_update` (coedit/commits.py)."""
import threading

from pycrdt import Doc, Text

from app.documents.coedit import commits, state, store
from app.documents.models import Document
from app.extensions import db


def _keystroke(char: str) -> bytes:
    doc = Doc()
    doc.get("body", type=Text).insert(0, char)
    return doc.get_update()


def test_the_others_get_the_update_without_seq_and_the_sender_its_stored_id(team, app):
    anna, lea = team.editor(team.member), team.editor(team.lead)
    anna.join(), lea.join()
    lea.receive()
    ack = anna.send(anna.type(0, "Hi "))
    relayed = [item["args"][0] for item in lea.receive() if item["name"] == "doc_update"]
    assert ack["ok"] and len(relayed) == 1 and "seq" not in relayed[0]
    with app.app_context():
        assert [row[0] for row in store.updates_after(team.doc_id, 0)] == [ack["seq"]]
    assert str(lea.text) == str(anna.text)


def test_many_updates_go_in_one_insert_in_the_order_given(team, app):
    with app.app_context():
        opened = state.open_document(db.session.get(Document, team.doc_id))
        rows = [(team.member.id, _keystroke(c)) for c in "abc"]
        ids = opened.store_updates(rows)
        assert ids == sorted(ids) and len(set(ids)) == 3
        stored = store.updates_after(team.doc_id, 0)
        assert [data for _id, data in stored] == [data for _uid, data in rows]
        assert opened.last_id == ids[-1]
        state.release(team.doc_id)


def test_updates_waiting_for_a_commit_are_written_together(team, app):
    with app.app_context():
        opened = state.open_document(db.session.get(Document, team.doc_id))
    queue = opened.commits
    queue.busy = True  # a transaction in flight: whoever comes now waits
    results, queued = {}, threading.Semaphore(0)

    def send(char):
        with app.app_context():
            queued.release()
            results[char] = commits.store(opened, team.member.id, _keystroke(char))
            db.session.remove()

    threads = []
    for char in "xyz":
        thread = threading.Thread(target=send, args=(char,))
        thread.start()
        threads.append(thread)
        queued.acquire()
    while len(queue.waiting) < 3:  # each thread appends right after releasing
        threading.Event().wait(0.01)
    with queue.lock:  # the transaction in flight ends and passes the lead on
        queue.waiting[0].leads = True
        queue.waiting[0].done.set()
    for thread in threads:
        thread.join(10)
    assert sorted(results) == ["x", "y", "z"]
    ids = sorted(results.values())
    assert ids == list(range(ids[0], ids[0] + 3))  # one INSERT: three consecutive ids
    assert not queue.busy and queue.waiting == []
    with app.app_context():
        state.release(team.doc_id)
