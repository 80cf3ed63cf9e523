// The application draft: saves itself every 30 s when something changed (the server merges a
// co-applicant's edits made meanwhile and answers with the merged draft), keeps the budget
// total and the summary's character count up to date. Strings come from data-* attributes.
import "./app.js";

const form = document.querySelector("#application-form[data-autosave]");
const AUTOSAVE_MS = 30 * 1000;
const lang = document.documentElement.lang || undefined;

function parseAmount(text) {
  const digits = String(text || "").trim();
  if (/^\d{1,3}([ .,\u00a0\u202f]\d{3})+$/.test(digits)) return Number(digits.replace(/\D/g, ""));
  return /^\d+$/.test(digits) ? Number(digits) : 0;
}

function updateBudget() {
  const table = document.querySelector("[data-budget]");
  if (!table) return;
  const total = [...table.querySelectorAll("[data-amount]")].reduce((sum, input) => sum + parseAmount(input.value), 0);
  table.querySelector("[data-budget-total]").textContent = new Intl.NumberFormat(lang).format(total);
  const over = document.querySelector("[data-over-max]");
  if (over) over.hidden = total <= Number(table.dataset.max);
}

function updateCounters() {
  for (const counter of document.querySelectorAll("[data-counter-for]")) {
    const field = document.getElementById(counter.dataset.counterFor);
    if (field) counter.textContent = `${field.value.length} / ${counter.dataset.max}`;
  }
}

function fill(content) {
  // Only the free-text fields can change by a merge; put the merged text where the person is
  // not typing right now.
  const fields = { title: content.title, summary: content.summary };
  for (const [key, text] of Object.entries(content.sections || {})) fields[`section_${key}`] = text;
  for (const [name, text] of Object.entries(fields)) {
    const input = form.elements.namedItem(name);
    if (input && input !== document.activeElement && input.value !== text) input.value = text;
  }
}

if (form) {
  const status = form.querySelector("[data-autosave-status]");
  const revision = form.querySelector("[data-revision]");
  let lastSent = new URLSearchParams(new FormData(form)).toString();
  let saving = false;

  async function autosave() {
    const body = new URLSearchParams(new FormData(form));
    if (saving || body.toString() === lastSent) return;
    saving = true;
    status.textContent = form.dataset.savingText;
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST", body, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": form.elements.csrf_token.value },
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.error || response.statusText);
      lastSent = body.toString();
      revision.value = answer.revision;
      if (answer.merged) fill(answer.content);
      lastSent = new URLSearchParams(new FormData(form)).toString();
      const time = new Intl.DateTimeFormat(lang, { timeStyle: "short" }).format(new Date());
      status.textContent = answer.merged ? form.dataset.mergedText : form.dataset.savedText.replace("{time}", time);
    } catch (error) {
      status.textContent = form.dataset.failedText.replace("{error}", error.message);
    } finally {
      saving = false;
    }
  }

  setInterval(autosave, AUTOSAVE_MS);
  form.addEventListener("input", () => { updateBudget(); updateCounters(); });
  form.autosaveNow = autosave; // the browser tests call it instead of waiting 30 s
}
updateBudget();
updateCounters();
