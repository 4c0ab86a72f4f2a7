// Copies the built NHS.UK frontend (CSS and JS with their source maps, assets), the accessible
// autocomplete (its built JS and CSS) and, when it is
// installed (development and tests only), axe-core into static/vendor, where Django's
// staticfiles and WhiteNoise serve them. static/vendor is not committed.
// `node scripts/copy-frontend.mjs DIR` copies into DIR instead (tests/deploy).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const vendor = process.argv[2] ?? "static/vendor";
const dist = "node_modules/nhsuk-frontend/dist/nhsuk";
const target = `${vendor}/nhsuk-frontend`;
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
// The maps go too: the CSS and JS name them, and the production static files storage refuses
// to collect a file whose references it cannot find.
for (const file of ["nhsuk-frontend.min.css", "nhsuk-frontend.min.js"]) {
  cpSync(`${dist}/${file}`, `${target}/${file}`);
  cpSync(`${dist}/${file}.map`, `${target}/${file}.map`);
}
cpSync(`${dist}/assets`, `${target}/assets`, { recursive: true });

// The built CSS is made for www.nhs.uk: it loads the Frutiger font from assets.nhs.uk, which our
// content security policy (font-src 'self') blocks and whose licence covers NHS.UK only, and it
// names its icons at /assets/images/, which is not where we serve them. Drop the font (the
// frontend falls back to Arial) and point the icons at the copies beside the CSS, so the
// static files storage finds and fingerprints them. ADR 011.
const cssPath = `${target}/nhsuk-frontend.min.css`;
const css = readFileSync(cssPath, "utf8");
const adapted = css
  .replace(/@font-face\{[^}]*assets\.nhs\.uk[^}]*\}/g, "")
  .replaceAll("url(/assets/images/", "url(assets/images/");
if (adapted.includes("assets.nhs.uk") || adapted.includes("url(/assets/")) {
  throw new Error("nhsuk-frontend's CSS names an outside font or root-relative asset we do not adapt");
}
writeFileSync(cssPath, adapted);

// The accessible autocomplete for the activity type (static/js/activity-type.mjs), with maps.
const autocomplete = "node_modules/accessible-autocomplete/dist";
mkdirSync(`${vendor}/accessible-autocomplete`, { recursive: true });
for (const file of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.css"]) {
  cpSync(`${autocomplete}/${file}`, `${vendor}/accessible-autocomplete/${file}`);
  cpSync(`${autocomplete}/${file}.map`, `${vendor}/accessible-autocomplete/${file}.map`);
}

// A dev dependency: absent from a production build (`npm ci --omit=dev`).
if (existsSync("node_modules/axe-core")) {
  mkdirSync(`${vendor}/axe-core`, { recursive: true });
  cpSync("node_modules/axe-core/axe.min.js", `${vendor}/axe-core/axe.min.js`);
}
console.log(`Copied nhsuk-frontend, accessible-autocomplete${existsSync("node_modules/axe-core") ? " and axe-core" : ""} into ${vendor}`);
