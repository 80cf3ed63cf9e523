// Documents: warn before leaving an editor with unsaved text (the live co-editor warns about
// its own unsent changes); a Preview button renders the draft
// through the server's one renderer. No inline scripts; hooks are data-* attributes.
const editor = document.querySelector("form[data-doc-editor]");

if (editor) {
  const initial = new FormData(editor);
  let dirty = false;
  editor.addEventListener("input", () => {
    const now = new FormData(editor);
    // In the live co-editor (coedit.bundle.js) the body is saved as it is typed: only the other
    // fields can be left unsaved.
    const live = editor.dataset.coeditLive === "true";
    dirty = [...now.keys()].some((key) => !(live && key === "body") && now.get(key) !== initial.get(key));
  });
  editor.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });
  setUpPreview(editor);
}

function setUpPreview(form) {
  const button = form.querySelector("[data-preview-button]");
  const output = form.querySelector("[data-preview]");
  const body = form.querySelector("textarea[name=body]");
  if (!button || !output || !body) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const token = form.querySelector("input[name=csrf_token]")?.value || "";
    output.hidden = false;
    output.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(button.dataset.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ body: body.value }),
      });
      const data = await response.json();
      // The server sanitised this HTML with the app's one renderer.
      output.querySelector("[data-preview-body]").innerHTML = response.ok ? data.html : "";
      if (!response.ok) output.querySelector("[data-preview-body]").textContent = data.error;
    } catch {
      output.querySelector("[data-preview-body]").textContent = button.dataset.previewError;
    } finally {
      output.removeAttribute("aria-busy");
    }
  });
}
