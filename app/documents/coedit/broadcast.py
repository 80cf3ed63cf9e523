"""What goes to a document's Socket.IO room (`document:<id>`) and to the documents list's.

Called after the commit, never inside a transaction. Rooms are internal; clients name a
document by project slug and id. The documents list page hears `doc_list_presence` in the room
`documents:<project id>` it joins with `doc_list_join`.
"""
import base64

from ...extensions import socketio


def document_room(document_id: int) -> str:
    return f"document:{document_id}"


def list_room(project_id: int) -> str:
    """Connections showing the project's documents list (`doc_list_join`)."""
    return f"documents:{project_id}"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def emit_update(slug: str, document_id: int, data: bytes, update_id: int | None = None,
                skip_sid: str | None = None) -> None:
    """`seq` only when the update is already stored (a client's own is relayed before)."""
    message = {"project": slug, "doc": document_id, "update": b64(data)}
    if update_id is not None:
        message["seq"] = update_id
    socketio.emit("doc_update", message,
                  to=document_room(document_id), skip_sid=skip_sid)


def emit_revision(slug: str, document_id: int, number: int, summary: str,
                  skip_sid: str | None = None) -> None:
    socketio.emit("doc_revision", {"project": slug, "doc": document_id, "revision": number,
                                   "summary": summary},
                  to=document_room(document_id), skip_sid=skip_sid)


def emit_presence(slug: str, project_id: int, document_id: int, editors: list[dict],
                  by_document: dict) -> None:
    socketio.emit("doc_presence", {"project": slug, "doc": document_id, "editors": editors},
                  to=document_room(document_id))
    socketio.emit("doc_list_presence", {"project": slug, "docs": by_document},
                  to=list_room(project_id))


def emit_revoked(sid_or_room: str, slug: str, document_id: int, error: str) -> None:
    socketio.emit("doc_revoked", {"project": slug, "doc": document_id, "error": error},
                  to=sid_or_room)


def revoke_room(slug: str, document_id: int, error: str) -> None:
    """Everyone in the document's room is told and taken out of it (in every process)."""
    room = document_room(document_id)
    emit_revoked(room, slug, document_id, error)
    socketio.close_room(room)
