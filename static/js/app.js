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

// The workspace tabs are one row that scrolls sideways on phones: show the current one.
function revealCurrentTab() {
  const current = document.querySelector(".workspace-tabs [aria-current=page]");
  const row = current?.closest("ul");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
  }
}

localiseTimes();
revealCurrentTab();
export { localiseTimes };
