// Pickers for a Markdown text area: typing @ and letters offers the project's members, the
// "Link" button (or typing [[) offers its documents and files. One listbox per text area,
// driven from the text area (aria-controls, aria-activedescendant): ArrowUp/ArrowDown move,
// Enter or Tab insert `@[Full Name]` or `[[Title]]`, Escape closes, a click picks too.
// While the listbox is open its keys win over the page's own (the chat's Enter sends).
// Markup: <textarea data-mention-source="…members/search" data-link-source="…linkables"
//   data-picker-members/-links (listbox names), -link (button), -document/-file, -count ("… {n}")
//   and data-link-insert="markdown" where `[[…]]` does not render: a plain [Title](/url) link>
let counter = 0;

const MENTION = /(^|[\s(])@([\p{L}\p{N}._-]{0,30})$/u;
const LINK = /\[\[([^\[\]\n]{0,60})$/;

function option(id, i, text, detail, onPick) {
  const li = document.createElement("li");
  li.id = `${id}-${i}`;
  li.setAttribute("role", "option");
  li.setAttribute("aria-selected", "false");
  li.textContent = text;
  if (detail) {
    const small = document.createElement("span");
    small.className = "picker-kind";
    small.textContent = ` ${detail}`;
    li.append(small);
  }
  li.addEventListener("mousedown", (event) => { event.preventDefault(); onPick(i); });
  return li;
}

export function setupPicker(textarea) {
  const data = textarea.dataset;
  const strings = {
    members: data.pickerMembers, links: data.pickerLinks, link: data.pickerLink,
    document: data.pickerDocument, file: data.pickerFile, count: data.pickerCount,
  };
  const id = `picker-list-${++counter}`;
  const list = document.createElement("ul");
  list.id = id;
  list.className = "picker-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  textarea.after(list, status);
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", id);

  let linkButton = null;
  if (textarea.dataset.linkSource) {
    // after the text area, so reaching it takes no extra Tab; a form may give it a place
    const slot = textarea.form && textarea.form.querySelector("[data-picker-toolbar]");
    const bar = slot || document.createElement("div");
    bar.classList.add("picker-toolbar");
    linkButton = document.createElement("button");
    linkButton.type = "button";
    linkButton.className = "secondary picker-link-button";
    linkButton.textContent = strings.link || "Link";
    linkButton.setAttribute("aria-controls", id);
    linkButton.setAttribute("aria-expanded", "false");
    bar.append(linkButton);
    if (!slot) status.after(bar);
  }

  let items = [];
  let active = -1;
  let query = null;
  let pending = null;
  let blurTimer = null;

  function setOpen(open) {
    list.hidden = !open;
    if (linkButton) linkButton.setAttribute("aria-expanded", String(open));
  }

  function close() {
    setOpen(false);
    list.replaceChildren();
    items = [];
    active = -1;
    textarea.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) {
      textarea.setAttribute("aria-activedescendant", `${id}-${index}`);
      list.children[index].scrollIntoView({ block: "nearest" });
    } else textarea.removeAttribute("aria-activedescendant");
  }

  function pick(index) {
    const item = items[index];
    if (!item || !query) return;
    const before = textarea.value.slice(0, query.start);
    const after = textarea.value.slice(textarea.selectionStart);
    const insert = `${item.insert} `;
    textarea.value = before + insert + after;
    const caret = before.length + insert.length;
    textarea.setSelectionRange(caret, caret);
    close();
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function show(found) {
    items = found;
    list.setAttribute("aria-label", (query.kind === "link" ? strings.links : strings.members) || "");
    list.replaceChildren(...found.map((item, i) => option(id, i, item.label, item.detail, pick)));
    setOpen(found.length > 0);
    const template = strings.count || "{n}";
    status.textContent = found.length ? template.replace("{n}", String(found.length)) : "";
    highlight(found.length ? 0 : -1);
  }

  function currentQuery() {
    const upto = textarea.value.slice(0, textarea.selectionStart);
    let match = textarea.dataset.linkSource && upto.match(LINK);
    if (match) return { kind: "link", text: match[1], start: upto.length - match[1].length - 2 };
    match = textarea.dataset.mentionSource && upto.match(MENTION);
    if (match) return { kind: "mention", text: match[2], start: upto.length - match[2].length - 1 };
    return null;
  }

  async function load(asked) {
    const source = asked.kind === "link" ? textarea.dataset.linkSource : textarea.dataset.mentionSource;
    const response = await fetch(`${source}?q=${encodeURIComponent(asked.text)}`, {
      headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    if (!response.ok) return null;
    const body = await response.json();
    if (asked.kind === "link") {
      return (body.targets || []).map((t) => ({
        label: t.title, detail: t.kind === "file" ? strings.file : strings.document,
        insert: data.linkInsert === "markdown" ? t.markdown : t.insert,
      }));
    }
    return (body.members || []).map((m) => ({ label: m.name, insert: m.handle }));
  }

  function update() {
    query = currentQuery();
    clearTimeout(pending);
    if (!query) { close(); return; }
    const asked = query;
    pending = setTimeout(async () => {
      try {
        const found = await load(asked);
        const now = currentQuery();
        if (found && now && now.kind === asked.kind && now.text === asked.text) show(found);
      } catch { close(); }
    }, 120);
  }

  textarea.addEventListener("input", update);
  textarea.addEventListener("focus", () => clearTimeout(blurTimer));
  textarea.addEventListener("blur", () => { blurTimer = setTimeout(close, 150); });
  // capture: runs before the page's own Enter handlers on the same text area
  textarea.addEventListener("keydown", (event) => {
    if (list.hidden || !items.length || event.isComposing) return;
    const keys = {
      ArrowDown: () => highlight((active + 1) % items.length),
      ArrowUp: () => highlight((active - 1 + items.length) % items.length),
      Enter: () => pick(active),
      Tab: () => pick(active),
      Escape: () => close(),
    };
    if (!(event.key in keys) || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    keys[event.key]();
  }, { capture: true });

  if (linkButton) {
    linkButton.addEventListener("mousedown", (event) => event.preventDefault());
    linkButton.addEventListener("click", () => {
      if (!list.hidden && query && query.kind === "link") { close(); textarea.focus(); return; }
      textarea.focus();
      const caret = textarea.selectionEnd;  // after a selection, never over it
      textarea.setSelectionRange(caret, caret);
      if (!LINK.test(textarea.value.slice(0, caret))) textarea.setRangeText("[[", caret, caret, "end");
      update();
    });
  }
}

document.querySelectorAll("textarea[data-mention-source], textarea[data-link-source]").forEach(setupPicker);
