// The chat room of a workspace: Socket.IO client, history, presence, typing, and the
// reconnection protocol (re-join with the last id seen, resend unacknowledged messages with the
// same client_id, drop duplicates by id). The socket contract lives in docs/realtime.md.
import { localiseTimes } from "./app.js";
import { enableMessageKeys } from "./chatkeys.js";

const root = document.querySelector("[data-chat]");
if (root && window.io) start(root);

function start(root) {
  const slug = root.dataset.project;
  const me = Number(root.dataset.userId);
  const strings = JSON.parse(root.querySelector("[data-chat-strings]").textContent);
  const log = root.querySelector("[data-chat-log]");
  const statusEl = root.querySelector("[data-chat-status]");
  const typingEl = root.querySelector("[data-chat-typing]");
  const announceEl = root.querySelector("[data-chat-announce]");
  const presenceEl = root.querySelector("[data-chat-presence]");
  const olderButton = root.querySelector("[data-chat-older]");
  const emptyEl = root.querySelector("[data-chat-empty]");
  const form = root.querySelector("[data-chat-form]");
  const input = root.querySelector("[data-chat-input]");
  const errorEl = root.querySelector("[data-chat-error]");

  const byId = new Map();          // message id -> <li>
  const pending = new Map();       // client_id -> {body, el}: sent, no ack yet
  let lastId = null;               // highest id seen (read marker)
  const bySeq = new Map();         // per-project seq (1, 2, 3… no gaps) -> id
  let baseSeq = null;              // lowest seq of the first join: we hold everything after it
  let gapTimer = null;
  let oldestId = null;             // lowest id shown: where history continues
  let hasOlder = false;
  let loadingOlder = false;
  let joined = false;
  let readTimer = null;
  const typers = new Map();        // user id -> {name, until}
  const keys = enableMessageKeys(log, { strings, input, onAction: act });

  const RETRY_MAX_MS = 2000;
  const BUSY_RETRY_MAX_MS = 30000;
  const socket = window.io({ transports: ["websocket", "polling"], reconnectionDelayMax: RETRY_MAX_MS });
  root.chatSocket = socket; // for tests and debugging

  // --- connection state ------------------------------------------------------------------
  function setStatus(text, state) {
    statusEl.textContent = text;
    root.dataset.state = state;
  }

  socket.on("connect", () => {
    socket.io.reconnectionDelayMax(RETRY_MAX_MS);
    join();
  });
  socket.on("disconnect", () => {
    joined = false;
    if (root.dataset.state === "removed") return;
    setStatus(navigator.onLine === false ? strings.offline : strings.reconnecting, "reconnecting");
  });
  // A full server refuses new connections at once (HTTP 503): say so, and let the retries
  // (jittered by socket.io's randomizationFactor) spread out over up to 30 s.
  socket.on("connect_error", () => {
    setStatus(strings.reconnecting, "reconnecting");
    fetch(root.dataset.readyUrl, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((ready) => {
        const c = ready.connections;
        if (!socket.connected && c && c.open >= c.limit) {
          setStatus(strings.busy, "busy");
          socket.io.reconnectionDelayMax(BUSY_RETRY_MAX_MS);
        }
      })
      .catch(() => {}); // the server is down, not busy: keep the usual retries
  });

  socket.on("resync", () => { if (joined) join(); }); // the server may have missed broadcasts

  let joinRetries = 0;
  function join() {
    const after = resumePoint();
    socket.emit("join", { project: slug, after }, (ack) => {
      if (ack && !ack.ok && ack.retry) { // busy or starting: try again, backing off with jitter
        setStatus(ack.error, "reconnecting");
        joinRetries += 1;
        const delay = Math.min(10000, 500 * 2 ** Math.min(joinRetries, 5)) * (0.5 + Math.random());
        setTimeout(() => { if (socket.connected) join(); }, delay);
        return;
      }
      if (!ack || !ack.ok) {
        setStatus(ack ? ack.error : strings.reconnecting, "error");
        return;
      }
      joinRetries = 0;
      const firstJoin = after === null;
      if (firstJoin) baseSeq = ack.messages.length ? ack.messages[0].seq : 0;
      addMessages(ack.messages, { announce: !firstJoin });
      if (firstJoin) setOlder(ack.more);
      showPresence(ack.presence);
      if (!firstJoin && ack.more) return join(); // more was missed than one answer holds
      joined = true;
      setStatus(strings.connected, "connected");
      resendPending();
      markRead();
    });
  }

  // Re-join after the last message up to which nothing is missing, not after the highest id:
  // broadcasts relayed by different server processes can arrive out of order.
  function resumePoint() {
    if (baseSeq === null) return null;
    let seq = bySeq.has(baseSeq) ? baseSeq : 0;
    while (bySeq.has(seq + 1)) seq += 1;
    return bySeq.get(seq) ?? 0;
  }

  function hasGap() {
    const after = resumePoint();
    return after !== null && lastId !== null && after < lastId;
  }

  // A hole that a late broadcast has not filled after a few seconds: ask for it.
  function watchGaps() {
    clearTimeout(gapTimer);
    if (!hasGap()) return;
    gapTimer = setTimeout(() => { if (joined && hasGap()) join(); }, 3000);
  }

  // --- rendering ---------------------------------------------------------------------------
  function messageElement(m) {
    const li = document.createElement("li");
    li.className = "chat-message";
    li.dataset.id = m.id;
    li.dataset.clientId = m.client_id;
    const head = document.createElement("p");
    head.className = "chat-meta";
    const who = document.createElement("span");
    who.className = "chat-author";
    who.textContent = m.author.name;
    const when = document.createElement("time");
    when.dateTime = m.created_at;
    when.dataset.local = "time";
    when.textContent = m.created_at;
    head.append(who, " ", when);
    const edited = document.createElement("span");
    edited.className = "chat-edited muted";
    head.append(" ", edited);
    const body = document.createElement("div");
    body.className = "chat-body";
    li.append(head, body);
    if (m.author.id === me) {
      li.classList.add("mine");
      who.insertAdjacentText("beforeend", ` (${strings.you})`);
      const receipt = document.createElement("span");
      receipt.className = "chat-receipt";
      receipt.dataset.receipt = "";
      head.append(" ", receipt);
      keys.addMenu(li);
    }
    fill(li, m);
    return li;
  }

  function button(label, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link-button small";
    b.dataset.action = action;
    b.textContent = label;
    return b;
  }

  function fill(li, m) {
    const body = li.querySelector(".chat-body");
    li.classList.toggle("deleted", m.deleted);
    if (m.deleted) {
      body.textContent = strings.deleted;
      li.querySelector(".chat-actions")?.remove();
    } else {
      body.innerHTML = m.html; // sanitized on the server by the one Markdown renderer
    }
    li.querySelector(".chat-edited").textContent = m.edited_at && !m.deleted ? `(${strings.edited})` : "";
    li.dataset.day = dayKey(m.created_at);
  }

  // Own messages: "Sending…" until the server stored it (ack: sent), then delivered once the
  // room's broadcast of it came back (it went out to everyone in the room).
  function markReceipt(li, state) {
    const receipt = li.querySelector("[data-receipt]");
    if (!receipt || receipt.dataset.receipt === "delivered") return;
    receipt.dataset.receipt = state;
    receipt.textContent = state === "delivered" ? `✓✓ ${strings.delivered}` : `✓ ${strings.sent}`;
  }

  function dayKey(iso) {
    const d = new Date(iso);
    return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
  }

  function dayLabel(iso) {
    const d = new Date(iso);
    const today = new Date();
    const yesterday = new Date(Date.now() - 86400000);
    if (dayKey(iso) === dayKey(today.toISOString())) return strings.today;
    if (dayKey(iso) === dayKey(yesterday.toISOString())) return strings.yesterday;
    return new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "full" }).format(d);
  }

  function redrawDays() {
    log.querySelectorAll(".chat-day").forEach((el) => el.remove());
    let previous = null;
    for (const li of log.querySelectorAll(".chat-message")) {
      if (li.dataset.day !== previous) {
        const sep = document.createElement("li");
        sep.className = "chat-day";
        const label = document.createElement("h2");
        label.textContent = dayLabel(li.querySelector("time").dateTime);
        sep.append(label);
        li.before(sep);
        previous = li.dataset.day;
      }
    }
  }

  function atBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  }

  // Insert in id order and ignore ids already shown: broadcasts, join answers and history
  // can overlap after a reconnect.
  function addMessages(messages, { announce = false, receipt = "delivered" } = {}) {
    // an empty room says what to do next (the join answer of a new project has no messages)
    if (!messages.length) { emptyEl.hidden = byId.size > 0 || pending.size > 0; return; }
    const stick = atBottom();
    const oldHeight = log.scrollHeight;
    const oldTop = log.scrollTop;
    let prepended = false;
    for (const m of messages) {
      if (byId.has(m.id)) {
        fill(byId.get(m.id), m);
        markReceipt(byId.get(m.id), receipt);
        continue;
      }
      const waiting = pending.get(m.client_id);
      if (waiting && m.author.id === me) {
        waiting.el.remove();
        pending.delete(m.client_id);
      }
      const li = messageElement(m);
      markReceipt(li, receipt);
      byId.set(m.id, li);
      const next = [...log.querySelectorAll(".chat-message:not(.pending)")].find((el) => Number(el.dataset.id) > m.id);
      if (next) {
        next.before(li);
        prepended = prepended || next === log.querySelector(".chat-message");
      } else {
        const firstPending = log.querySelector(".chat-message.pending");
        firstPending ? firstPending.before(li) : log.append(li);
      }
      if (lastId === null || m.id > lastId) lastId = m.id;
      if (m.seq) bySeq.set(m.seq, m.id);
      if (oldestId === null || m.id < oldestId) oldestId = m.id;
      if (announce && m.author.id !== me) {
        const text = li.querySelector(".chat-body").textContent.slice(0, 140);
        announceEl.textContent = strings.new_message.replace("{name}", m.author.name).replace("{text}", text);
      }
    }
    redrawDays();
    localiseTimes(log);
    keys.refresh();
    emptyEl.hidden = byId.size > 0 || pending.size > 0;
    if (stick && !prepended) log.scrollTop = log.scrollHeight;
    else if (prepended) log.scrollTop = oldTop + (log.scrollHeight - oldHeight);
  }

  function setOlder(more) {
    hasOlder = more;
    olderButton.hidden = !more;
  }

  function loadOlder() {
    if (!hasOlder || loadingOlder || oldestId === null || !socket.connected) return;
    loadingOlder = true;
    socket.emit("history", { project: slug, before: oldestId, limit: 50 }, (ack) => {
      loadingOlder = false;
      if (!ack || !ack.ok) return;
      addMessages(ack.messages);
      setOlder(ack.messages.length === 50);
    });
  }

  log.addEventListener("scroll", () => { if (log.scrollTop < 60) loadOlder(); });
  olderButton.addEventListener("click", loadOlder);

  function showPresence(online) {
    presenceEl.replaceChildren(...online.map((p) => {
      const li = document.createElement("li");
      li.textContent = p.id === me ? `${p.name} (${strings.you})` : p.name;
      li.dataset.userId = p.id;
      return li;
    }));
  }

  // --- live events -------------------------------------------------------------------------
  socket.on("message", (m) => {
    if (m.project !== slug) return;
    typers.delete(m.author.id);
    showTypers();
    addMessages([m], { announce: true });
    markRead();
    watchGaps();
  });
  for (const name of ["message_updated", "message_deleted"]) {
    socket.on(name, (m) => { if (m.project === slug && byId.has(m.id)) fill(byId.get(m.id), m); });
  }
  socket.on("presence", (p) => { if (p.project === slug) showPresence(p.online); });
  socket.on("typing", (t) => {
    if (t.project !== slug || t.user.id === me) return;
    typers.set(t.user.id, { name: t.user.name, until: Date.now() + 4000 });
    showTypers();
    setTimeout(showTypers, 4100);
  });
  socket.on("removed", (r) => {
    if (r.project !== slug) return;
    setStatus(strings.removed, "removed");
    if (form) form.hidden = true;
    socket.disconnect();
  });

  function showTypers() {
    const now = Date.now();
    const names = [...typers.values()].filter((t) => t.until > now).map((t) => t.name);
    typingEl.textContent = names.length ? strings.typing.replace("{name}", names.join(", ")) : "";
  }

  function markRead() {
    if (document.visibilityState !== "visible" || lastId === null) return;
    clearTimeout(readTimer);
    readTimer = setTimeout(() => { if (socket.connected) socket.emit("read", { project: slug, id: lastId }, () => {}); }, 500);
  }
  document.addEventListener("visibilitychange", markRead);

  // --- sending -----------------------------------------------------------------------------
  function send(body) {
    const clientId = crypto.randomUUID ? crypto.randomUUID() : fallbackUuid();
    const el = messageElement({ id: 0, client_id: clientId, author: { id: me, name: "" }, body, html: "",
                                created_at: new Date().toISOString(), edited_at: null, deleted: false });
    el.classList.add("pending");
    el.querySelector(".chat-actions")?.remove();
    el.querySelector(".chat-author").textContent = strings.sending;
    el.querySelector(".chat-body").textContent = body;
    log.append(el);
    log.scrollTop = log.scrollHeight;
    emptyEl.hidden = true;
    pending.set(clientId, { body, el });
    transmit();
  }

  // One message in flight at a time, oldest first: the server handles a connection's events
  // concurrently, so two messages sent together could be stored in either order. Only sent
  // while joined; otherwise everything pending waits for the re-join, which resends it with
  // the same client_id (the server stores each at most once). No answer within 10 s: the
  // same message is sent again while still joined.
  let inFlight = null;             // the attempt awaiting its ack, or null
  function transmit() {
    if (inFlight || !joined || !pending.size) return;
    const [clientId, item] = pending.entries().next().value;
    const attempt = { clientId };
    inFlight = attempt;
    socket.timeout(10000).emit("message", { project: slug, body: item.body, client_id: clientId }, (err, ack) => {
      const current = inFlight === attempt;
      if (current) inFlight = null;
      if (err) {
        if (current) transmit();
        return;
      }
      if (ack.ok) {
        addMessages([ack.message], { receipt: "sent" });
      } else if (pending.has(clientId)) {
        pending.delete(clientId);
        item.el.remove();
        showError(ack.error);
        if (input && !input.value) input.value = item.body;
      }
      if (current) transmit();
    });
  }

  function resendPending() {
    inFlight = null; // an attempt on the connection that dropped will never be answered
    transmit();
  }

  function showError(text) {
    if (errorEl) errorEl.textContent = text || "";
  }

  function fallbackUuid() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  if (form) {
    let lastTyping = 0;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = input.value.trim();
      if (!body) return;
      showError("");
      input.value = "";
      send(body);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    input.addEventListener("input", () => {
      const now = Date.now();
      if (joined && now - lastTyping > 2000 && input.value.trim()) {
        lastTyping = now;
        socket.emit("typing", { project: slug }, () => {});
      }
    });
  }

  // --- edit and delete your own messages (from the message's menu, see chatkeys.js) ----------
  function act(action, li) {
    const id = Number(li.dataset.id);
    if (action === "delete") {
      if (window.confirm(strings.confirm_delete)) {
        socket.emit("delete", { project: slug, id }, (ack) => {
          if (ack.ok) { fill(li, ack.message); keys.refresh(); li.focus(); } else showError(ack.error);
        });
      }
    } else if (action === "edit") {
      startEdit(li, id);
    }
  }

  function startEdit(li, id) {
    if (li.querySelector("form")) return;
    const editForm = document.createElement("form");
    editForm.className = "chat-edit";
    const label = document.createElement("label");
    label.htmlFor = `chat-edit-${id}`;
    label.className = "visually-hidden";
    label.textContent = strings.edit_label;
    const area = document.createElement("textarea");
    area.id = `chat-edit-${id}`;
    area.maxLength = 4000;
    area.rows = 2;
    socket.emit("history", { project: slug, before: id + 1, limit: 1 }, (ack) => {
      const m = ack.ok && ack.messages.find((x) => x.id === id);
      area.value = m ? m.body : li.querySelector(".chat-body").textContent;
      area.focus();
    });
    const save = button(strings.save, "save");
    save.type = "submit";
    const cancel = button(strings.cancel, "cancel");
    editForm.append(label, area, save, " ", cancel);
    li.querySelector(".chat-body").after(editForm);
    cancel.addEventListener("click", () => { editForm.remove(); li.focus(); });
    editForm.addEventListener("submit", (event) => {
      event.preventDefault();
      socket.emit("edit", { project: slug, id, body: area.value }, (ack) => {
        if (ack.ok) { fill(li, ack.message); editForm.remove(); keys.refresh(); li.focus(); } else showError(ack.error);
      });
    });
  }

  // A dead network often leaves a socket that looks open for a long time: drop it at once and
  // reconnect (re-join, catch up, resend) as soon as the browser is back online.
  window.addEventListener("offline", () => {
    joined = false;
    socket.disconnect();
    setStatus(strings.offline, "reconnecting");
  });
  window.addEventListener("online", () => { if (!socket.connected) socket.connect(); });
}
