// The unread count on a workspace's Chat tab, fetched after the page (no cost to its render).
const badge = document.querySelector("[data-chat-unread][data-chat-unread-url]");

async function showUnread() {
  try {
    const response = await fetch(badge.dataset.chatUnreadUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const { unread } = await response.json();
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = ` ${badge.dataset.chatUnreadLabel}`;
    badge.replaceChildren(String(unread), hidden);
    badge.hidden = !unread;
  } catch {
    // offline: the badge simply stays hidden
  }
}

if (badge) showUnread();
