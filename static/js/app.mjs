import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";
import { startIdleWarning } from "./session-timeout.mjs";

initAll();
startIdleWarning(document.body);
