// Project forms: derive the slug from the title until the slug is edited by hand; copy buttons.
function slugify(value) {
  return value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
}

for (const form of document.querySelectorAll("form[data-project-form]")) {
  const title = form.querySelector("[data-slug-source]");
  const slug = form.querySelector("[data-slug-target]");
  if (!title || !slug) continue;
  let touched = slug.value !== "";
  slug.addEventListener("input", () => { touched = slug.value !== ""; });
  title.addEventListener("input", () => { if (!touched) slug.value = slugify(title.value); });
}

for (const button of document.querySelectorAll("[data-copy-target]")) {
  const input = document.getElementById(button.dataset.copyTarget);
  if (!input || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(input.value);
    button.textContent = button.dataset.copied || "✓";
  });
}
