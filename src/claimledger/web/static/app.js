// Progressive enhancement only: every page works without this file.
// Document view: an "only these quotes" button per speaker dims the other speakers' quotes
// (press it again to show all). The buttons are hidden unless this script runs.
"use strict";
document.querySelectorAll("ul.speakers button.only").forEach((b) => { b.hidden = false; });
document.addEventListener("click", (event) => {
  const button = event.target.closest("ul.speakers button.only");
  if (!button) return;
  const id = button.dataset.speakerId;
  const active = button.getAttribute("aria-pressed") !== "true";
  document.querySelectorAll("ul.speakers button.only").forEach((b) => b.setAttribute("aria-pressed", "false"));
  button.setAttribute("aria-pressed", String(active));
  document.querySelectorAll(".doctext mark.quote").forEach((mark) => {
    mark.classList.toggle("dim", active && mark.dataset.speakerId !== id);
  });
});

// Tooltips (mark[data-tip]::after) are shown by CSS on hover and focus; this keeps each one on
// screen, shifting it left when the mark sits near the right edge.
const MARGIN = 8;
function placeTip(mark) {
  mark.style.setProperty("--tip-x", "0px");
  const tip = getComputedStyle(mark, "::after");
  const width = parseFloat(tip.width);
  const first = mark.getClientRects()[0];
  if (!first || !width) return;
  const room = document.documentElement.clientWidth - MARGIN;
  const left = Math.max(MARGIN, Math.min(first.left, room - width));
  mark.style.setProperty("--tip-x", `${Math.round(left - first.left)}px`);
}
for (const type of ["mouseover", "focusin"]) {
  document.addEventListener(type, (event) => {
    const mark = event.target.closest && event.target.closest("mark[data-tip]");
    if (mark) placeTip(mark);
  });
}

// API docs: a "Try it" form leaves out the fields left empty (an empty number is not a number).
document.addEventListener("submit", (event) => {
  if (!event.target.matches("form.try")) return;
  event.target.querySelectorAll("input").forEach((input) => { input.disabled = input.value === ""; });
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form.try input").forEach((input) => { input.disabled = false; });
});

// Claim page: "Copy citation" and "Copy link" (the text and the link are on the page for copying
// by hand; the buttons show only when this script runs).
document.querySelectorAll(".copy-buttons").forEach((p) => { p.hidden = false; });
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const text = source.href || source.textContent.trim();
  const status = button.parentElement.querySelector(".copied");
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = button.dataset.copy === "citation" ? "Citation copied." : "Link copied.";
  } catch (err) {
    // No clipboard (an insecure origin, or refused): select the text for copying by hand.
    const range = document.createRange();
    range.selectNodeContents(source);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
  }
});
