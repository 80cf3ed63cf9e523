"""The baseline for bench/chat_fanout.py: a bare Flask-SocketIO + eventlet broadcast server.

No sign-in, no database, no validation: `join` enters one room, `message` is broadcast to it
and acknowledged. Same protocol shape as the real chat, so the same load generator drives both.
For bench/coedit_bench.py it also relays co-editing: `doc_join` enters the document's room,
`doc_update` and `awareness` are rebroadcast to the others there (nothing applied or stored).
Run: `python bench/bare_server.py PORT`.
"""
import eventlet

eventlet.monkey_patch()

import sys  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

app = Flask(__name__)
app.config["SECRET_KEY"] = "bench-only"
socketio = SocketIO(app, async_mode="eventlet", cors_allowed_origins="*")


@app.get("/healthz")
def health():
    return {"ok": True}


@socketio.on("join")
def on_join(payload):
    join_room("room")
    return {"ok": True, "messages": [], "presence": []}


@socketio.on("message")
def on_message(payload):
    socketio.emit("message", payload, to="room")
    return {"ok": True, "message": payload}


@socketio.on("doc_join")
def on_doc_join(payload):
    join_room(f"doc:{payload['doc']}")
    return {"ok": True, "update": "AAA=", "state_vector": "AA==", "can_edit": True,
            "revision": 0, "editors": []}


@socketio.on("doc_update")
def on_doc_update(payload):
    socketio.emit("doc_update", payload, to=f"doc:{payload['doc']}", skip_sid=request.sid)
    return {"ok": True, "client_id": payload.get("client_id")}


@socketio.on("awareness")
def on_awareness(payload):
    socketio.emit("awareness", payload, to=f"doc:{payload['doc']}", skip_sid=request.sid)
    return {"ok": True}


if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_output=False)
