"""Group commit of co-editing updates: one transaction for every update of a document that
arrived while the previous transaction of that document was in flight.

This is the one clever piece of the hot path, fenced here. Each `doc_update` handler calls
`store(opened, user_id, data)` and blocks until its update is committed (the ack is sent only
after the commit). Per open document there is one `CommitQueue`:

- the first caller to find no commit in flight becomes the *leader*: it takes every update
  waiting in the queue (its own among them), writes them with one INSERT of many rows and one
  commit (`OpenDocument.store_updates`), hands each waiting caller its id, and returns;
- callers arriving meanwhile append their update and wait on their own event;
- before returning, the leader promotes the first caller still waiting (if any) to lead the
  next transaction, so no caller ever writes someone else's batch after its own ack is due.

No background task and no extra thread: the leader is a request handler (greenlet under
eventlet, thread in the tests) using its own database session. `threading` is what eventlet
monkey-patches, so the same code waits cooperatively there. A failed transaction fails every
update in it; their senders get an error ack and resend (CRDT updates are idempotent).
Ordering across processes is still the state row lock of `store.append_updates`.
"""
import threading

from ...extensions import db


class _Waiting:
    __slots__ = ("user_id", "data", "done", "leads", "update_id", "error")

    def __init__(self, user_id: int | None, data: bytes):
        self.user_id, self.data = user_id, data
        self.done = threading.Event()
        self.leads = False
        self.update_id: int | None = None
        self.error: BaseException | None = None

    def result(self) -> int:
        if self.error is not None:
            raise self.error
        return self.update_id


class CommitQueue:
    """The updates of one document waiting for the next transaction."""

    def __init__(self):
        self.lock = threading.Lock()
        self.waiting: list[_Waiting] = []
        self.busy = False


def store(opened, user_id: int | None, data: bytes) -> int:
    """Store `data` in the document's next transaction; its id once that has committed."""
    queue: CommitQueue = opened.commits
    entry = _Waiting(user_id, data)
    with queue.lock:
        queue.waiting.append(entry)
        leads, queue.busy = not queue.busy, True
    if not leads:
        entry.done.wait()
        if not entry.leads:
            return entry.result()
    with queue.lock:
        batch, queue.waiting = queue.waiting, []
    try:
        ids = opened.store_updates([(waiting.user_id, waiting.data) for waiting in batch])
        for waiting, update_id in zip(batch, ids, strict=True):
            waiting.update_id = update_id
    except BaseException as error:
        db.session.rollback()
        for waiting in batch:
            waiting.error = error
    finally:
        with queue.lock:
            following = queue.waiting[0] if queue.waiting else None
            if following is None:
                queue.busy = False
            else:
                following.leads = True
        for waiting in batch:
            if waiting is not entry:
                waiting.done.set()
        if following is not None:
            following.done.set()
    return entry.result()
