// Live notifications: one Socket.IO connection per signed-in page; each `notification` event
// updates the header badge, is announced politely to screen readers, and (on /notifications/)
// is added to the top of the list. No inline scripts: loaded as a module from base.html.
const badge = document.getElementById("notification-count");
const link = document.querySelector("[data-notification-count]");

function liveRegion() {
  let region = document.getElementById("notification-live");
  if (!region) {
    region = document.createElement("div");
    region.id = "notification-live";
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    document.body.append(region);
  }
  return region;
}

function setCount(count) {
  if (!badge) return;
  badge.textContent = String(count);
  badge.hidden = !count;
  if (link) link.dataset.notificationCount = String(count);
}

function addToList(payload) {
  const list = document.querySelector("[data-notification-list]");
  if (!list) return;
  document.querySelector("[data-empty]")?.remove();
  const item = document.createElement("li");
  item.className = "notification is-unread is-live";
  item.id = `notification-${payload.id}`;
  const anchor = document.createElement("a");
  // The server's URL for notification 0, with this notification's id in its place.
  anchor.href = list.dataset.openUrl.replace("/0/", `/${encodeURIComponent(payload.id)}/`);
  anchor.textContent = payload.text;
  const when = document.createElement("time");
  when.dateTime = payload.created_at;
  when.dataset.local = "";
  when.textContent = new Date(payload.created_at).toLocaleString(document.documentElement.lang || undefined);
  item.append(anchor, " ", when);
  list.prepend(item);
}

function loadSocketIo() {
  if (window.io) return Promise.resolve(window.io);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = new URL("../vendor/socket.io.min.js", import.meta.url).href;
    script.onload = () => resolve(window.io);
    script.onerror = reject;
    document.head.append(script);
  });
}

async function start() {
  if (!document.body.dataset.userId || !badge) return;
  const region = liveRegion();
  const io = await loadSocketIo();
  const socket = io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
  // The state is visible on the badge link, so tests (and styles) can wait for it.
  socket.on("connect", () => { if (link) link.dataset.live = "connected"; });
  socket.on("disconnect", () => { if (link) link.dataset.live = "disconnected"; });
  socket.on("notification", (payload) => {
    setCount(payload.unread);
    region.textContent = payload.text;
    addToList(payload);
    document.dispatchEvent(new CustomEvent("museum:notification", { detail: payload }));
  });
}

start().catch(() => { /* live updates are an extra: the page works without them */ });
