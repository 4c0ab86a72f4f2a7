import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";
import { startIdleWarning } from "./session-timeout.mjs";

initAll();
startIdleWarning(document.body);

// "Print my plan": a button only where printing from script works; the page prints anyway.
for (const button of document.querySelectorAll("[data-tm-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
