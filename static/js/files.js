// Upload forms: refuse a file that is too large before sending it (the server checks again),
// then send it to the JSON API with a progress bar; without JavaScript the form posts normally.
function setError(form, input, message) {
  let error = form.querySelector("[data-upload-error]");
  if (!error) {
    error = document.createElement("p");
    error.className = "field-error";
    error.id = `${input.id}-upload-error`;
    error.setAttribute("role", "alert");
    error.dataset.uploadError = "";
    input.closest(".field").append(error);
  }
  error.textContent = message || "";
  error.hidden = !message;
  if (message) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", error.id);
  } else {
    input.removeAttribute("aria-invalid");
  }
}

function sendWithProgress(form, input) {
  const button = form.querySelector("button[type=submit]");
  const progress = form.querySelector("progress[data-upload-progress]");
  const status = form.querySelector("[data-upload-status]");
  const token = form.querySelector("input[name=csrf_token]");
  const xhr = new XMLHttpRequest();
  xhr.open("POST", form.dataset.apiUrl);
  xhr.responseType = "json";
  xhr.setRequestHeader("Accept", "application/json");
  if (token) xhr.setRequestHeader("X-CSRFToken", token.value);
  xhr.upload.addEventListener("progress", (event) => {
    if (!event.lengthComputable) return;
    const percent = Math.round((event.loaded / event.total) * 100);
    progress.value = percent;
    status.textContent = form.dataset.progressText.replace("%(percent)s", percent);
  });
  const finish = (message) => {
    button.disabled = false;
    progress.hidden = true;
    status.textContent = "";
    setError(form, input, message);
  };
  xhr.addEventListener("load", () => {
    const body = xhr.response || {};
    if (xhr.status >= 200 && xhr.status < 300 && body.url) {
      status.textContent = form.dataset.doneText;
      window.location.assign(body.url);
    } else {
      finish(body.error || form.dataset.failedText);
    }
  });
  xhr.addEventListener("error", () => finish(form.dataset.failedText));
  setError(form, input, "");
  button.disabled = true;
  progress.value = 0;
  progress.hidden = false;
  xhr.send(new FormData(form));
}

for (const form of document.querySelectorAll("form[data-files-upload]")) {
  const input = form.querySelector("input[type=file]");
  const maxBytes = Number(form.dataset.maxBytes || 0);
  if (!input) continue;
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    const tooLarge = Boolean(file && maxBytes && file.size > maxBytes);
    setError(form, input, tooLarge ? form.dataset.tooLarge : "");
  });
  form.addEventListener("submit", (event) => {
    const file = input.files && input.files[0];
    if (!file || !form.dataset.apiUrl || !window.FormData) return;
    event.preventDefault();
    if (maxBytes && file.size > maxBytes) {
      setError(form, input, form.dataset.tooLarge);
      input.focus();
      return;
    }
    sendWithProgress(form, input);
  });
}
