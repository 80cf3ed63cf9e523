// Discussion: inline "Reply" (moves the reply form under the post) and @mention autocomplete
// (an ARIA listbox attached to the textarea; arrows, Enter/Tab to pick, Escape to close).
const replyBox = document.getElementById("reply-form");

function setupReplies() {
  if (!replyBox) return;
  const form = replyBox.querySelector("form");
  const parentInput = form.querySelector("input[name=parent_id]");
  const note = form.querySelector("[data-replying-to]");
  const noteText = form.querySelector("[data-replying-to-text]");
  const cancel = form.querySelector("[data-reply-cancel]");
  const home = document.createComment("reply-form-home");
  replyBox.before(home);
  const textarea = form.querySelector("textarea");

  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[data-reply-to]");
    if (!trigger) return;
    const post = document.getElementById(`post-${trigger.dataset.replyTo}`);
    if (!post) return;  // on another page: follow the link
    event.preventDefault();
    parentInput.value = trigger.dataset.replyTo;
    noteText.textContent = cancel.dataset.labelTemplate.replace("__NAME__", trigger.dataset.replyName || "");
    note.hidden = false;
    post.after(replyBox);
    replyBox.classList.add("is-inline");
    textarea.focus();
  });
  cancel.addEventListener("click", (event) => {
    event.preventDefault();
    parentInput.value = "";
    note.hidden = true;
    home.after(replyBox);
    replyBox.classList.remove("is-inline");
    textarea.focus();
  });
}

let counter = 0;

function setupMentions(textarea) {
  const source = textarea.dataset.mentionSource;
  const id = `mention-list-${++counter}`;
  const list = document.createElement("ul");
  list.id = id;
  list.className = "mention-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", textarea.dataset.mentionLabel || "Project members");
  list.hidden = true;
  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  textarea.after(list, status);
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", id);

  let items = [];
  let active = -1;
  let query = null;
  let pending = null;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    items = [];
    active = -1;
    textarea.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) textarea.setAttribute("aria-activedescendant", `${id}-${index}`);
  }

  function pick(index) {
    const member = items[index];
    if (!member || !query) return;
    const before = textarea.value.slice(0, query.start);
    const after = textarea.value.slice(textarea.selectionStart);
    const insert = `${member.handle} `;
    textarea.value = before + insert + after;
    const caret = before.length + insert.length;
    textarea.setSelectionRange(caret, caret);
    close();
    textarea.focus();
  }

  function show(members) {
    items = members;
    list.replaceChildren(...members.map((member, i) => {
      const li = document.createElement("li");
      li.id = `${id}-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = member.name;
      li.addEventListener("mousedown", (event) => { event.preventDefault(); pick(i); });
      return li;
    }));
    list.hidden = !members.length;
    const template = textarea.dataset.mentionCount || "Suggestions: {n}";
    status.textContent = members.length ? template.replace("{n}", String(members.length)) : "";
    highlight(members.length ? 0 : -1);
  }

  function currentQuery() {
    const upto = textarea.value.slice(0, textarea.selectionStart);
    const match = upto.match(/(^|[\s(])@([\p{L}\p{N}._-]{0,30})$/u);
    return match ? { text: match[2], start: upto.length - match[2].length - 1 } : null;
  }

  textarea.addEventListener("input", () => {
    query = currentQuery();
    if (!query) { close(); return; }
    clearTimeout(pending);
    pending = setTimeout(async () => {
      try {
        const response = await fetch(`${source}?q=${encodeURIComponent(query.text)}`, {
          headers: { Accept: "application/json" }, credentials: "same-origin",
        });
        if (!response.ok) return;
        const data = await response.json();
        if (currentQuery()) show(data.members || []);
      } catch { close(); }
    }, 120);
  });

  textarea.addEventListener("keydown", (event) => {
    if (list.hidden || !items.length) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); pick(active); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  textarea.addEventListener("blur", () => setTimeout(close, 150));
}

setupReplies();
document.querySelectorAll("textarea[data-mention-source]").forEach(setupMentions);
