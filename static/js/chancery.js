// Small behaviours without inline scripts (the CSP forbids them).

// The header's menu on a phone: folded behind its button once this script runs (without it,
// the links stay in view), opened and closed by the button, closed again by Escape.
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest(".menu-toggle");
  if (!button) return;
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  button.closest(".topbar").classList.toggle("open", open);
});
document.addEventListener("keydown", (event) => {
  const button = document.querySelector(".menu-toggle[aria-expanded='true']");
  if (event.key === "Escape" && button) {
    button.setAttribute("aria-expanded", "false");
    button.closest(".topbar").classList.remove("open");
    button.focus();
  }
});
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.submit();
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Model UN: a refused chair action (409, another chair acted first) still shows the refreshed
// console with the reason, like a 422.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 409 && target && target.closest("[data-swap-refusals]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Countdowns ([data-countdown]): a running clock carries its deadline (server time, epoch ms),
// a paused one the seconds left. The page corrects for its own clock with the server's time
// ([data-server-now], read when the page loads), so every screen shows the same second.
function formatSeconds(total) {
  const seconds = Math.max(0, total);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
let serverSkew = 0;
function readServerClock() {
  const marker = document.querySelector("[data-server-now]");
  if (marker && Number(marker.dataset.serverNow)) {
    serverSkew = Number(marker.dataset.serverNow) - Date.now();
  }
}
function tickCountdowns() {
  const now = Date.now() + serverSkew;
  for (const clock of document.querySelectorAll("[data-countdown]")) {
    const running = clock.dataset.running === "1" && clock.dataset.deadline;
    // A running clock never shows more than the server counted when it drew the page: a
    // page whose clock runs behind the server's (the page took a moment to load after the
    // server read its time) would otherwise round up to 2:01 of a 120 s limit.
    const left = running
      ? Math.min(Number(clock.dataset.remaining),
                 Math.ceil((Number(clock.dataset.deadline) - now) / 1000))
      : Number(clock.dataset.remaining);
    clock.textContent = formatSeconds(left);
    clock.classList.toggle("low", left > 0 && left <= 10);
    clock.classList.toggle("over", left <= 0);
  }
}
setInterval(tickCountdowns, 200);
document.addEventListener("DOMContentLoaded", () => { readServerClock(); tickCountdowns(); });
document.addEventListener("htmx:afterSettle", tickCountdowns);

// A failed form's error summary takes the focus when the page loads (or when htmx swaps one
// in), so a screen reader reads it first and a keyboard is one Tab from its links; a link
// moves the focus to its field.
function focusErrorSummary(root) {
  // An exhibit (the style guide's) shows the summary without taking the focus.
  const summary = root.querySelector("[data-error-summary]:not([data-exhibit] *)");
  if (summary) summary.focus();
}
document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.target instanceof Element) focusErrorSummary(event.target);
});
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("[data-error-summary] a[href^='#']");
  const field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  field.focus();
  field.scrollIntoView({ block: "center" });
});

// The header's groups of links (a wide screen): a button opens its list below it; opening one
// closes the others; Escape or a click elsewhere closes them.
function closeMenuGroups(except) {
  for (const group of document.querySelectorAll(".menu-group.open")) {
    if (group === except) continue;
    group.classList.remove("open");
    group.querySelector(".menu-group-toggle").setAttribute("aria-expanded", "false");
  }
}
document.addEventListener("click", (event) => {
  const toggle = event.target instanceof Element && event.target.closest(".menu-group-toggle");
  if (!toggle) {
    if (!(event.target instanceof Element && event.target.closest(".menu-group"))) closeMenuGroups(null);
    return;
  }
  const group = toggle.closest(".menu-group");
  const open = !group.classList.contains("open");
  closeMenuGroups(group);
  group.classList.toggle("open", open);
  toggle.setAttribute("aria-expanded", String(open));
});
document.addEventListener("keydown", (event) => {
  const open = document.querySelector(".menu-group.open");
  if (event.key === "Escape" && open) {
    closeMenuGroups(null);
    open.querySelector(".menu-group-toggle").focus();
  }
});
// The projector follows its session by server-sent events when the server streams them (an
// ASGI server); it polls (htmx, every half second) until the stream is open, whenever it
// breaks, and for good when the server answers that it does not stream (a WSGI worker: 204).
function followScreenEvents() {
  const live = document.getElementById("live");
  if (!live || !live.dataset.events || !window.EventSource) return;
  const source = new EventSource(live.dataset.events);
  source.addEventListener("open", () => { document.body.dataset.streaming = "1"; });
  source.addEventListener("error", () => { delete document.body.dataset.streaming; });
  source.addEventListener("screen", (event) => {
    const current = document.getElementById("live");
    if (!current) return;
    current.outerHTML = event.data;
    const fresh = document.getElementById("live");
    if (window.htmx) window.htmx.process(fresh);
    tickCountdowns();
  });
}
document.addEventListener("htmx:beforeRequest", (event) => {
  if (document.body.dataset.streaming && event.detail.elt.id === "live") event.preventDefault();
});
document.addEventListener("DOMContentLoaded", followScreenEvents);
