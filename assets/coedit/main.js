// The live co-editor of a workspace document (bundled by `make assets` into
// static/js/coedit.bundle.js). The page works without it: the form and its textarea stay, and
// this only takes over once the first join succeeded. The textarea is kept hidden and in step
// with the shared text, so the form's own Save (and the preview) still work.
import { createEditor } from "./editor.js";
import { safeColor } from "./cursors.js";
import { CoeditSession } from "./session.js";

const form = document.querySelector("form[data-coedit]");
if (form && window.io) start(form);

function start(form) {
  const strings = JSON.parse(form.querySelector("[data-coedit-strings]").textContent);
  const textarea = form.querySelector("textarea[name=body]");
  const statusEl = form.querySelector("[data-coedit-status]");
  const alertEl = form.querySelector("[data-coedit-alert]");
  const announceEl = form.querySelector("[data-coedit-announce]");
  const editorsEl = form.querySelector("[data-coedit-editors]");
  const versionButton = form.querySelector("[data-coedit-save-version]");
  const noteEl = form.querySelector("[data-coedit-note]");
  const summary = form.querySelector("input[name=summary]");
  const baseRevision = form.querySelector("input[name=base_revision]");
  const liveField = form.querySelector("input[name=live]");
  const me = Number(form.dataset.userId);
  const mayEdit = form.dataset.canEdit === "true";

  let editor = null;
  let editors = null; // id -> {id, name, color}, as the server last listed them

  const session = new CoeditSession({
    io: window.io,
    project: form.dataset.project,
    doc: Number(form.dataset.doc),
    user: { id: me, name: form.dataset.userName },
    on: { joined, state: showState, presence, revision, revoked, refused },
  });
  form.coedit = session; // for tests and debugging

  function showState(state) {
    form.dataset.coeditState = state;
    if (state === "revoked") return;
    statusEl.textContent = strings[state] || strings.connecting;
    if (versionButton) versionButton.disabled = state === "offline" || state === "connecting";
  }

  function joined(ack, first) {
    const editable = mayEdit && session.canEdit;
    const mine = (ack.editors || []).find((e) => Number(e.id) === me);
    session.awareness.setLocalStateField("user", {
      id: me, name: form.dataset.userName, color: safeColor(mine && mine.color),
    });
    if (baseRevision && ack.revision != null) baseRevision.value = String(ack.revision);
    if (first) {
      if (textarea.value !== textarea.defaultValue) {
        // Someone typed into the plain form before we were ready: leave them the plain form.
        session.revoke(null);
        return;
      }
      mount(editable);
    } else {
      editor.setEditable(editable && !session.stopped);
    }
  }

  function mount(editable) {
    const field = textarea.closest(".field") || textarea.parentElement;
    const host = document.createElement("div");
    host.className = "coedit-host";
    textarea.after(host);
    textarea.hidden = true;
    const shadow = host.attachShadow({ mode: "open" });
    const hint = document.createElement("p");
    hint.id = "coedit-hint";
    hint.hidden = true;
    hint.textContent = strings.hint;
    shadow.append(hint);
    const label = field.querySelector("label");
    editor = createEditor({
      shadow, ytext: session.ytext, awareness: session.awareness,
      label: label ? label.textContent.trim() : strings.label, editable,
    });
    editor.view.contentDOM.setAttribute("aria-describedby", "coedit-hint");
    if (label) {
      label.addEventListener("click", (event) => { event.preventDefault(); editor.view.focus(); });
    }
    // At once, not debounced: the Preview button and the form's Save read the textarea.
    session.ytext.observe(syncTextarea);
    form.dataset.coeditLive = "true";
    if (liveField) liveField.value = "1"; // the form's Save then takes only title and summary
    form.querySelectorAll("[data-coedit-legacy]").forEach((el) => { el.hidden = true; });
    form.querySelectorAll("[data-coedit-only]").forEach((el) => { el.hidden = !editable; });
    form.querySelector("[data-coedit-bar]").hidden = false;
  }

  function syncTextarea() {
    if (editor) textarea.value = session.ytext.toString(); // before the first join: the form's own
  }

  function presence(list) {
    const next = new Map(list.map((e) => [Number(e.id), e]));
    if (editors) {
      const joinedNames = [...next.values()].filter((e) => Number(e.id) !== me && !editors.has(Number(e.id)));
      const leftNames = [...editors.values()].filter((e) => Number(e.id) !== me && !next.has(Number(e.id)));
      joinedNames.forEach((e) => announce(strings.joined.replace("{name}", e.name)));
      leftNames.forEach((e) => announce(strings.left.replace("{name}", e.name)));
    }
    editors = next;
    editorsEl.replaceChildren(...[...next.values()].map((e) => {
      const item = document.createElement("li");
      const dot = document.createElement("span");
      dot.className = "coedit-dot";
      dot.setAttribute("aria-hidden", "true");
      dot.style.backgroundColor = safeColor(e.color);
      item.append(dot, Number(e.id) === me ? strings.you.replace("{name}", e.name) : e.name);
      return item;
    }));
  }

  function announce(text) {
    const line = document.createElement("p");
    line.textContent = text;
    announceEl.append(line);
    while (announceEl.childElementCount > 5) announceEl.firstElementChild.remove();
  }

  function revision(payload) {
    if (baseRevision) baseRevision.value = String(payload.revision);
    noteEl.textContent = strings.version_saved.replace("{n}", payload.revision);
  }

  function refused(error) {
    showAlert(error);
  }

  function revoked(error) {
    if (!editor) return; // before the editor existed: the plain form stays as it was
    editor.setEditable(false);
    form.dataset.coeditState = "revoked";
    statusEl.textContent = "";
    form.querySelectorAll("[data-coedit-only]").forEach((el) => { el.hidden = true; });
    form.querySelector("[data-coedit-editors-wrap]").hidden = true;
    showAlert(error || strings.revoked);
  }

  function showAlert(text) {
    alertEl.textContent = text;
    alertEl.hidden = false;
  }

  versionButton?.addEventListener("click", async () => {
    versionButton.disabled = true;
    syncTextarea();
    const ack = await session.saveVersion(summary ? summary.value.trim() : "");
    versionButton.disabled = false;
    if (ack.ok) {
      if (summary) {
        summary.value = summary.defaultValue;
        summary.dispatchEvent(new Event("input", { bubbles: true })); // not unsaved any more
      }
      const changed = ack.changed !== false && ack.revision != null;
      if (ack.revision != null && baseRevision) baseRevision.value = String(ack.revision);
      noteEl.textContent = changed ? strings.version_saved.replace("{n}", ack.revision) : strings.nothing_changed;
    } else {
      showAlert(ack.error || strings.version_failed);
    }
  });

  let submitting = false;
  form.addEventListener("submit", () => {
    syncTextarea();
    submitting = true;
    // Edits the server has not stored yet (offline) travel in the form instead: without `live`
    // the server merges the posted text into the shared one.
    if (liveField && session.pending.size) liveField.value = "";
  });
  window.addEventListener("beforeunload", (event) => {
    if (session.pending.size && !submitting) event.preventDefault();
  });
  window.addEventListener("pagehide", () => session.leave());
}
