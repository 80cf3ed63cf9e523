// Archive pages: facet checkboxes apply at once; the summary shows how many characters remain.
const facetForm = document.getElementById("facet-form");
if (facetForm) {
  facetForm.addEventListener("change", (event) => {
    if (event.target.matches("[data-facet-input]")) facetForm.requestSubmit();
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
