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

// Tracker chart: one tab stop for the whole chart. Hovering a mark, or moving between marks with
// the arrow keys once the chart has focus, shows a card of that figure (date, outlet, range,
// expression, claimant, copies, links to its claim and its sentence) next to it, inside the
// chart's frame. The card is a status region, so screen readers read each figure as it is
// reached; the marks themselves stay out of the tab order (the table below lists them all).
const frame = document.querySelector(".chart-frame");
const marks = frame ? [...frame.querySelectorAll("svg.timeline a.pt")] : [];
if (marks.length) {
  const card = frame.querySelector(".chart-card");
  let current = -1;
  frame.tabIndex = 0;
  frame.setAttribute("aria-label", `${frame.getAttribute("aria-label")}: the arrow keys move from figure to figure, Enter opens its claim`);
  document.querySelectorAll(".chart-keys").forEach((el) => { el.hidden = false; });
  const line = (cls, ...parts) => {
    const p = document.createElement("p");
    p.className = cls;
    p.append(...parts);
    return p;
  };
  const link = (href, text) => {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  };
  // The number's claim page: its anchor in the document view (#n<idx>) names it.
  const claimHref = (href) => href.replace(/#n(\d+)$/, "/numbers/$1");
  function show(i) {
    current = i;
    marks.forEach((m, j) => m.classList.toggle("current", j === i));
    const m = marks[i];
    const d = m.dataset;
    const href = m.getAttribute("href");
    const value = document.createElement("strong");
    value.textContent = d.range + (m.classList.contains("approx") ? " ≈" : "");
    const copies = Number(d.copies);
    card.replaceChildren(
      line("card-when", `${d.date} · ${d.outlet || "outlet unknown"} · figure ${i + 1} of ${marks.length}`),
      line("card-value", value, ` “${d.text}”`),
      line("card-who", `${d.claimant} (${(m.getAttribute("class").match(/\bct-(\S+)/) || ["", "?"])[1]})`),
      ...(copies ? [line("card-copies", `${copies} syndicated cop${copies === 1 ? "y" : "ies"}`)] : []),
      line("card-links", link(claimHref(href), "Open the claim"), " · ", link(href, "Read the sentence")),
    );
    card.hidden = false;
    // Next to the mark, kept inside the frame (which is never wider than the screen).
    const box = frame.getBoundingClientRect();
    const dot = (m.querySelector("circle") || m).getBoundingClientRect();
    const left = Math.max(0, Math.min(dot.left - box.left - card.offsetWidth / 2, box.width - card.offsetWidth));
    const below = dot.bottom - box.top + 6;
    const top = below + card.offsetHeight > box.height ? dot.top - box.top - card.offsetHeight - 6 : below;
    card.style.left = `${Math.round(left)}px`;
    card.style.top = `${Math.round(Math.max(0, top))}px`;
  }
  function hide() {
    card.hidden = true;
    marks.forEach((m) => m.classList.remove("current"));
  }
  frame.addEventListener("mouseover", (event) => {
    const m = event.target.closest && event.target.closest("a.pt");
    if (!m) return;
    m.querySelector("title")?.remove(); // the card replaces the browser's own tooltip
    show(marks.indexOf(m));
  });
  frame.addEventListener("mouseleave", () => { if (!frame.contains(document.activeElement)) hide(); });
  frame.addEventListener("focus", () => show(current < 0 ? 0 : current));
  frame.addEventListener("focusout", (event) => { if (!frame.contains(event.relatedTarget)) hide(); });
  frame.addEventListener("keydown", (event) => {
    if (event.target !== frame) return;
    const last = marks.length - 1;
    const to = { ArrowRight: current + 1, ArrowDown: current + 1, ArrowLeft: current - 1, ArrowUp: current - 1,
      Home: 0, End: last }[event.key];
    if (to !== undefined) {
      event.preventDefault();
      show(Math.max(0, Math.min(last, to)));
    } else if (event.key === "Enter" && current >= 0) {
      location.href = claimHref(marks[current].getAttribute("href"));
    } else if (event.key === "Escape") {
      hide();
    }
  });
}
