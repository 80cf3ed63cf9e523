// Documents: warn before leaving an editor with unsaved text; on the conflict page, a button
// puts "your version" back into the editor. No inline scripts; everything via data-* hooks.
const editor = document.querySelector("form[data-doc-editor]");
if (editor) {
  const initial = new FormData(editor);
  let dirty = false;
  editor.addEventListener("input", () => {
    const now = new FormData(editor);
    dirty = [...now.keys()].some((key) => now.get(key) !== initial.get(key));
  });
  editor.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });
}

const useMine = document.querySelector("[data-use-mine]");
const mine = document.querySelector("[data-mine-text]");
if (useMine && mine && editor) {
  useMine.hidden = false;
  useMine.addEventListener("click", () => {
    const body = editor.querySelector("textarea[name=body]");
    body.value = mine.value;
    body.focus();
  });
}
