// Upload form: refuse a file that is too large before sending it (the server checks again).
for (const form of document.querySelectorAll("form[data-files-upload]")) {
  const input = form.querySelector("input[type=file]");
  const maxBytes = Number(form.dataset.maxBytes || 0);
  if (!input || !maxBytes) continue;
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > maxBytes ? form.dataset.tooLarge || "Too large" : "");
    input.reportValidity();
  });
}
