// Copies the built NHS.UK frontend (CSS, JS module, assets) and axe-core into static/vendor,
// where Django's staticfiles and WhiteNoise serve them. static/vendor is not committed.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const dist = "node_modules/nhsuk-frontend/dist/nhsuk";
const target = "static/vendor/nhsuk-frontend";
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
cpSync(`${dist}/nhsuk-frontend.min.css`, `${target}/nhsuk-frontend.min.css`);
cpSync(`${dist}/nhsuk-frontend.min.js`, `${target}/nhsuk-frontend.min.js`);
cpSync(`${dist}/assets`, `${target}/assets`, { recursive: true });

mkdirSync("static/vendor/axe-core", { recursive: true });
cpSync("node_modules/axe-core/axe.min.js", "static/vendor/axe-core/axe.min.js");
console.log("Copied nhsuk-frontend and axe-core into static/vendor");
