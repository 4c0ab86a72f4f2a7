// Warns a signed-in user before the idle timeout signs them out, and lets them stay signed
// in without losing the page. The server enforces the timeout; this only warns.
export function startIdleWarning(body) {
  const timeout = Number(body.dataset.idleTimeout);
  const warning = Number(body.dataset.idleWarning);
  const dialog = document.getElementById("idle-warning");
  if (!timeout || !warning || !dialog || typeof dialog.showModal !== "function") return;

  const countdown = dialog.querySelector("[data-idle-countdown]");
  const keepAliveForm = dialog.querySelector("form[data-keep-alive]");
  let warnTimer;
  let tickTimer;
  let signOutAt;

  function schedule() {
    clearTimeout(warnTimer);
    clearInterval(tickTimer);
    signOutAt = Date.now() + timeout * 1000;
    warnTimer = setTimeout(showWarning, warning * 1000);
  }

  function showWarning() {
    dialog.showModal();
    tick();
    tickTimer = setInterval(tick, 1000);
  }

  function tick() {
    const seconds = Math.max(0, Math.round((signOutAt - Date.now()) / 1000));
    if (seconds === 0) {
      window.location.reload();
      return;
    }
    const minutes = Math.ceil(seconds / 60);
    countdown.textContent =
      seconds >= 60 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${seconds} seconds`;
  }

  keepAliveForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(keepAliveForm.action, {
      method: "POST",
      body: new FormData(keepAliveForm),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok) {
      dialog.close();
      schedule();
    } else {
      window.location.reload();
    }
  });

  schedule();
}
