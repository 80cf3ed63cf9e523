// Archive pages. Facets: a ticked box updates the results in place (focus stays on the box, the
// new count is announced; no reload, WCAG 3.2.2); on narrow screens the facets sit behind a
// "Filters (n)" button. Without JS the form's "Apply filters" button does the same by reload.
// Elsewhere: the summary shows how many characters remain; print buttons.
const facetForm = document.querySelector("[data-live-results]");
const panel = document.querySelector("[data-facet-panel]");
const toggle = document.querySelector("[data-filters-toggle]");
const announce = document.querySelector("[data-results-announce]");
let pending = null;

async function refreshResults() {
  const params = new URLSearchParams(new FormData(facetForm));
  const url = `${facetForm.action}?${params}`;
  pending?.abort();
  pending = new AbortController();
  let doc;
  try {
    const response = await fetch(url, { signal: pending.signal, headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(String(response.status));
    doc = new DOMParser().parseFromString(await response.text(), "text/html");
  } catch (error) {
    if (error.name !== "AbortError") facetForm.requestSubmit();  // fall back to a reload
    return;
  }
  document.querySelector("[data-archive-results]").replaceWith(doc.querySelector("[data-archive-results]"));
  for (const count of facetForm.querySelectorAll("[data-facet-count]")) {
    const fresh = doc.querySelector(`[data-facet-count="${CSS.escape(count.dataset.facetCount)}"]`);
    count.textContent = fresh ? fresh.textContent : "(0)";
  }
  toggle.textContent = doc.querySelector("[data-filters-toggle]").textContent;
  history.replaceState(null, "", url);
  announce.textContent = document.querySelector("[data-results-count]").textContent.trim();
}

function setOpen(open) {
  panel.classList.toggle("open", open);
  toggle.setAttribute("aria-expanded", String(open));
}

if (facetForm) {
  facetForm.addEventListener("change", (event) => {
    if (event.target.matches("[data-facet-input]")) refreshResults();
  });
  facetForm.querySelector("[data-apply-filters]").hidden = true;
  const showResults = facetForm.querySelector("[data-show-results]");
  showResults.hidden = false;
  showResults.addEventListener("click", () => {
    setOpen(false);
    document.querySelector("[data-results-count]").focus();
  });
  toggle.hidden = false;
  panel.classList.add("collapsible");
  toggle.addEventListener("click", () => setOpen(!panel.classList.contains("open")));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && panel.classList.contains("open")) {
      setOpen(false);
      toggle.focus();
    }
  });
}

for (const area of document.querySelectorAll("textarea[data-counter]")) {
  const limit = Number(area.dataset.counter);
  const note = document.createElement("p");
  note.className = "hint counter";
  note.setAttribute("aria-live", "polite");
  area.insertAdjacentElement("afterend", note);
  const update = () => { note.textContent = `${area.value.length} / ${limit}`; };
  area.addEventListener("input", update);
  update();
}

for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
