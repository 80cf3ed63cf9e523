// Keyboard use of the chat's message list: one tab stop for the whole list (roving tabindex),
// arrow keys / Home / End between messages, and the actions on your own messages (Edit,
// Delete) on a small menu opened with Enter or the "⋯" button, instead of two tab stops per
// message. "/" anywhere outside a text field jumps to the message box.
// what inside a message may take focus (the menu and its button are reached with Enter)
const FOCUSABLE = "a[href], button:not([data-menu-button]), textarea, input, select, "
  + "[tabindex]:not(.chat-message):not([data-menu-button])";

export function enableMessageKeys(log, { strings, input, onAction }) {
  let current = null;

  const messages = () => [...log.querySelectorAll(".chat-message:not(.pending)")];

  // Exactly one message is tabbable (the newest, unless focus is on another one right now);
  // links and buttons inside the others are not.
  function refresh() {
    const all = messages();
    if (!all.includes(current) || !log.contains(document.activeElement)) {
      current = all[all.length - 1] || null;
    }
    for (const li of all) {
      const active = li === current;
      li.tabIndex = active ? 0 : -1;
      for (const el of li.querySelectorAll(FOCUSABLE)) {
        if (!el.closest(".chat-edit") && !el.closest("[role=menu]")) el.tabIndex = active ? 0 : -1;
      }
    }
  }

  function moveTo(li) {
    if (!li) return;
    current = li;
    refresh();
    li.focus();
  }

  log.addEventListener("focusin", (event) => {
    const li = event.target.closest(".chat-message");
    if (li && li !== current && !li.classList.contains("pending")) { current = li; refresh(); }
  });

  log.addEventListener("keydown", (event) => {
    if (event.target.closest("[role=menu]") || event.target.closest(".chat-edit")) return;
    const li = event.target.closest(".chat-message");
    if (!li || event.target !== li) return;
    const all = messages();
    const index = all.indexOf(li);
    const moves = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: all.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(all[Math.max(0, Math.min(all.length - 1, moves[event.key]))]);
    } else if ((event.key === "Enter" || event.key === " ") && li.querySelector("[data-menu-button]")) {
      event.preventDefault();
      openMenu(li);
    }
  });

  // --- the per-message menu ----------------------------------------------------------------
  function menuButton() {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "chat-menu-button";
    b.dataset.menuButton = "";
    b.tabIndex = -1;
    b.setAttribute("aria-haspopup", "menu");
    b.setAttribute("aria-expanded", "false");
    b.setAttribute("aria-label", strings.actions);
    b.textContent = "⋯";
    return b;
  }

  function addMenu(li) {
    const holder = document.createElement("div");
    holder.className = "chat-actions";
    const menu = document.createElement("ul");
    menu.setAttribute("role", "menu");
    menu.hidden = true;
    for (const [action, label] of [["edit", strings.edit], ["delete", strings.delete]]) {
      const item = document.createElement("li");
      item.setAttribute("role", "none");
      const b = document.createElement("button");
      b.type = "button";
      b.setAttribute("role", "menuitem");
      b.tabIndex = -1;
      b.dataset.action = action;
      b.textContent = label;
      item.append(b);
      menu.append(item);
    }
    holder.append(menuButton(), menu);
    li.append(holder);
  }

  function openMenu(li) {
    closeMenus();
    const button = li.querySelector("[data-menu-button]");
    const menu = li.querySelector("[role=menu]");
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    menu.querySelector("[role=menuitem]").focus();
  }

  function closeMenus(returnTo = null) {
    for (const menu of log.querySelectorAll("[role=menu]:not([hidden])")) {
      menu.hidden = true;
      menu.parentElement.querySelector("[data-menu-button]").setAttribute("aria-expanded", "false");
    }
    if (returnTo) returnTo.focus();
  }

  log.addEventListener("click", (event) => {
    const button = event.target.closest("[data-menu-button]");
    if (button) {
      const li = button.closest(".chat-message");
      if (button.getAttribute("aria-expanded") === "true") closeMenus(); else openMenu(li);
      return;
    }
    const item = event.target.closest("[role=menuitem]");
    if (item) {
      const li = item.closest(".chat-message");
      closeMenus(li);
      onAction(item.dataset.action, li);
    }
  });

  log.addEventListener("keydown", (event) => {
    const menu = event.target.closest("[role=menu]");
    if (!menu) return;
    const items = [...menu.querySelectorAll("[role=menuitem]")];
    const index = items.indexOf(event.target);
    const li = menu.closest(".chat-message");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      items[(index + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeMenus(li);
    } else if (event.key === "Tab") {
      closeMenus();
    }
  });

  document.addEventListener("click", (event) => {
    if (!event.target.closest(".chat-actions")) closeMenus();
  });

  // --- jump to the message box -------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    if (!input || event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    input.focus();
  });

  return { refresh, addMenu };
}
