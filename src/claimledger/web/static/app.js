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
