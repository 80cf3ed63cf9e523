"""Live co-editing of documents: the shared CRDT state (pycrdt) of each document.

`models.py` the append-only updates and the compacted snapshot per document; `store.py` reading
and writing them (one row per acknowledged update, committed before the ack); `state.py` the
open documents of this process and how one catches up with what other processes stored;
`textops.py` a text edit as Y.Text operations (the no-JS form save and restore); `presence.py`
who has a document open, in every process; `broadcast.py` what goes to a document's room;
`sessions.py` the socket events' services (join, sync, update, awareness, leave, save a version)
and the background step that cuts revisions after a pause and compacts. Revisions themselves
are cut by `app.documents.services.cut_revision`, the one revision-save path. The socket doors
are `app.documents.events`; the contract is in docs/realtime.md ("Co-editing").
"""
