// Call pages: the closing moment (rendered in UTC in <time datetime>) is shown in the visitor's
// own time zone by app.js; here each [data-countdown] gets the time left, refreshed each minute.
import { localiseTimes } from "./app.js";

const lang = document.documentElement.lang || undefined;
const units = [["day", 86400], ["hour", 3600], ["minute", 60]];

function timeLeft(ms) {
  let seconds = Math.floor(ms / 1000);
  const parts = [];
  for (const [unit, size] of units) {
    const count = Math.floor(seconds / size);
    seconds -= count * size;
    if (count > 0 || (unit === "minute" && parts.length === 0)) {
      parts.push(new Intl.NumberFormat(lang, { style: "unit", unit, unitDisplay: "long" }).format(count));
    }
    if (parts.length === 2) break;
  }
  // The label already says "time left": a plain duration reads right in every language
  // ("in" + "29 Tage" was ungrammatical German, which wants "in 29 Tagen").
  return new Intl.ListFormat(lang, { style: "long", type: "unit" }).format(parts);
}

function update() {
  for (const box of document.querySelectorAll("[data-countdown]")) {
    const closes = new Date(box.dataset.closes);
    const target = box.querySelector("[data-time-left]");
    if (!target || Number.isNaN(closes.getTime())) continue;
    const left = closes.getTime() - Date.now();
    target.textContent = left > 0 ? timeLeft(left) : (target.dataset.closedText || "");
  }
}

localiseTimes();
update();
setInterval(update, 60 * 1000);
