// Site-wide behaviour: local times, auto-submitting selects, confirm buttons. No inline scripts.
document.documentElement.classList.remove("no-js");

function localiseTimes(root = document) {
  const lang = document.documentElement.lang || undefined;
  for (const el of root.querySelectorAll("time[data-local]")) {
    const when = new Date(el.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) continue;
    const style = el.dataset.local === "date" ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" };
    el.textContent = new Intl.DateTimeFormat(lang, style).format(when);
    el.title = when.toISOString();
  }
}

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.requestSubmit();
});

document.addEventListener("submit", (event) => {
  const message = event.submitter?.dataset.confirm || event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

localiseTimes();
export { localiseTimes };
