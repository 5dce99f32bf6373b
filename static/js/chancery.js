// Small behaviours without inline scripts (the CSP forbids them).
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

// Countdowns ([data-countdown]): the server sends the seconds left when the page was rendered
// and whether the clock runs; the page counts down on its own between updates.
function formatSeconds(total) {
  const seconds = Math.max(0, total);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
function tickCountdowns() {
  const now = performance.now();
  for (const clock of document.querySelectorAll("[data-countdown]")) {
    if (clock.chancerySince === undefined) {
      clock.chancerySince = now;
    }
    const running = clock.dataset.running === "1";
    const elapsed = running ? Math.floor((now - clock.chancerySince) / 1000) : 0;
    const left = Number(clock.dataset.remaining) - elapsed;
    clock.textContent = formatSeconds(left);
    clock.classList.toggle("low", left > 0 && left <= 10);
    clock.classList.toggle("over", left <= 0);
  }
}
setInterval(tickCountdowns, 200);
document.addEventListener("DOMContentLoaded", tickCountdowns);
document.addEventListener("htmx:afterSettle", tickCountdowns);
