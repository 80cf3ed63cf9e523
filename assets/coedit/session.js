// The co-editing protocol of one document over the page's Socket.IO connection (the contract is
// docs/realtime.md, "Co-editing"): join with our state vector, apply what the server sends, send
// every local update with a client_id and keep it until its ack says it is stored, and after a
// reconnect send in one update everything the server lacks. Yjs updates are idempotent, so
// sending something twice is always safe; losing one is what this file exists to prevent.
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { fromBase64, toBase64 } from "lib0/buffer";

export const REMOTE = Symbol("remote"); // origin of changes that came from the server

const RETRY_MAX_MS = 2000;

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class CoeditSession {
  // on: {joined(ack, first), state(name), presence(editors), revision(payload), revoked(error),
  //      refused(error)}
  constructor({ io, project, doc, user, on }) {
    this.project = project;
    this.docId = doc;
    this.user = user; // {id, name, color}
    this.on = on;
    this.ydoc = new Y.Doc();
    this.ytext = this.ydoc.getText("body");
    this.awareness = new awarenessProtocol.Awareness(this.ydoc);
    this.pending = new Map(); // client_id -> update (Uint8Array): sent or waiting, not yet stored
    this.joined = false;
    this.everJoined = false;
    this.canEdit = false;
    this.stopped = false;
    this.joinRetries = 0;

    this.ydoc.on("update", (update, origin) => {
      if (origin !== REMOTE) this.sendUpdate(update);
    });
    this.awareness.on("update", ({ added, updated, removed }, origin) => {
      if (origin !== "local" || !this.joined) return;
      this.sendAwareness([...added, ...updated, ...removed]);
    });

    this.socket = io({ transports: ["websocket", "polling"], reconnectionDelayMax: RETRY_MAX_MS });
    this.socket.on("connect", () => this.join());
    this.socket.on("disconnect", () => {
      this.joined = false;
      this.dropRemoteAwareness();
      if (!this.stopped) this.on.state("offline");
    });
    this.socket.on("connect_error", () => { if (!this.stopped) this.on.state("offline"); });
    // socket.io-client closes its connections when the browser goes offline, but with two on a
    // page (the notifications badge has one) it skips some: it removes each from the list it is
    // walking. Close ours ourselves; it reconnects as after any drop.
    window.addEventListener("offline", () => {
      if (this.socket.connected) this.socket.io.engine.close();
    });
    this.socket.on("resync", () => this.sync()); // the server may have missed broadcasts
    this.socket.on("doc_update", (payload) => {
      if (!this.mine(payload)) return;
      this.applyRemote(payload.update);
    });
    this.socket.on("awareness", (payload) => {
      if (!this.mine(payload)) return;
      awarenessProtocol.applyAwarenessUpdate(this.awareness, fromBase64(payload.update), REMOTE);
    });
    this.socket.on("doc_presence", (payload) => {
      if (!this.mine(payload)) return;
      this.forgetAbsent(payload.editors);
      this.on.presence(payload.editors);
    });
    this.socket.on("doc_revision", (payload) => { if (this.mine(payload)) this.on.revision(payload); });
    this.socket.on("doc_revoked", (payload) => { if (this.mine(payload)) this.revoke(payload.error); });
  }

  mine(payload) {
    return !this.stopped && payload && payload.project === this.project && Number(payload.doc) === this.docId;
  }

  where(extra) {
    return { project: this.project, doc: this.docId, ...extra };
  }

  join() {
    if (this.stopped) return;
    this.on.state(this.everJoined ? "syncing" : "connecting");
    const vector = this.everJoined ? toBase64(Y.encodeStateVector(this.ydoc)) : null;
    this.socket.emit("doc_join", this.where({ state_vector: vector }), (ack) => {
      if (this.stopped) return;
      if (!ack || !ack.ok) return this.joinRefused(ack);
      this.joinRetries = 0;
      const first = !this.everJoined;
      Y.applyUpdate(this.ydoc, fromBase64(ack.update), REMOTE);
      this.joined = true;
      this.everJoined = true;
      this.canEdit = Boolean(ack.can_edit);
      if (this.canEdit && this.pending.size) {
        // Everything the server lacks, in one update: what was typed offline and anything sent
        // whose ack never came. It replaces the separate updates it contains.
        const missing = Y.encodeStateAsUpdate(this.ydoc, fromBase64(ack.state_vector));
        this.pending.clear();
        this.sendUpdate(missing);
      }
      this.on.joined(ack, first);
      this.forgetAbsent(ack.editors || []);
      this.on.presence(ack.editors || []);
      if (this.awareness.getLocalState() !== null) this.sendAwareness([this.ydoc.clientID]);
      this.settle();
    });
  }

  joinRefused(ack) {
    if (ack && ack.retry) { // busy or starting: try again, backing off with jitter
      this.joinRetries += 1;
      const delay = Math.min(10000, 500 * 2 ** Math.min(this.joinRetries, 5)) * (0.5 + Math.random());
      setTimeout(() => { if (this.socket.connected) this.join(); }, delay);
      return;
    }
    // Not (or no longer) allowed here: the server said why.
    if (ack && ack.error) this.revoke(ack.error);
  }

  applyRemote(b64) {
    Y.applyUpdate(this.ydoc, fromBase64(b64), REMOTE);
    // An update that depends on one we never received waits inside Yjs: ask for what is missing.
    if (this.ydoc.store.pendingStructs || this.ydoc.store.pendingDs) this.sync();
  }

  sync() {
    if (!this.joined) return;
    const vector = toBase64(Y.encodeStateVector(this.ydoc));
    this.socket.emit("doc_sync", this.where({ state_vector: vector }), (ack) => {
      if (ack && ack.ok && ack.update) Y.applyUpdate(this.ydoc, fromBase64(ack.update), REMOTE);
    });
  }

  sendUpdate(update) {
    if (this.stopped || !this.canEdit) return;
    const clientId = uuid();
    this.pending.set(clientId, update);
    this.settle();
    this.emitUpdate(clientId, 0);
  }

  emitUpdate(clientId, tries) {
    const update = this.pending.get(clientId);
    if (!update || !this.joined || this.stopped) return; // kept; joining again sends it
    this.socket.emit("doc_update", this.where({ update: toBase64(update), client_id: clientId }), (ack) => {
      if (ack && ack.ok) {
        this.pending.delete(clientId);
      } else if (ack && ack.retry) {
        // Too fast for the rate limit, or the server is starting: the same update again soon.
        const delay = Math.min(5000, 250 * 2 ** Math.min(tries, 4)) * (0.5 + Math.random());
        setTimeout(() => this.emitUpdate(clientId, tries + 1), delay);
      } else if (ack && ack.error) {
        // Refused, not lost in transit: resending would be refused again.
        this.pending.delete(clientId);
        this.on.refused(ack.error);
      }
      this.settle();
    });
  }

  sendAwareness(clients) {
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients);
    this.socket.emit("awareness", this.where({ update: toBase64(update) }));
  }

  // Cursors of people the server no longer lists (or of everyone, when we are cut off) go away
  // now rather than after awareness's 30-second timeout.
  forgetAbsent(editors) {
    const present = new Set(editors.map((e) => Number(e.id)));
    const gone = [];
    this.awareness.getStates().forEach((state, clientId) => {
      if (clientId === this.ydoc.clientID) return;
      const id = state && state.user ? Number(state.user.id) : NaN;
      if (!present.has(id)) gone.push(clientId);
    });
    if (gone.length) awarenessProtocol.removeAwarenessStates(this.awareness, gone, REMOTE);
  }

  dropRemoteAwareness() {
    this.forgetAbsent([]);
  }

  settle() {
    if (this.stopped) return;
    if (!this.joined) this.on.state("offline");
    else if (this.pending.size) this.on.state("saving");
    else this.on.state(this.canEdit ? "saved" : "readonly");
  }

  saveVersion(summary) {
    return new Promise((resolve) => {
      if (!this.joined) return resolve({ ok: false });
      this.socket.emit("doc_save_version", this.where({ summary }), (ack) => resolve(ack || { ok: false }));
    });
  }

  revoke(error) {
    if (this.stopped) return;
    this.stopped = true;
    this.pending.clear();
    this.dropRemoteAwareness();
    this.awareness.destroy();
    this.socket.disconnect();
    this.on.revoked(error);
  }

  leave() {
    if (this.stopped || !this.joined) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.ydoc.clientID], "local");
    this.socket.emit("doc_leave", this.where({}));
  }
}
