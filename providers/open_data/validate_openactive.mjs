// Validates OpenActive JSON (an RPDE page or one model) with OpenActive's own validator,
// offline: the remote documents it would fetch are seeded into its file cache first.
//
// Usage: node validate_openactive.mjs CACHE_DIR ACTIVITY_LIST_JSONLD < document.json
// Prints a JSON array of problems: {severity, type, category, message, path}.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import validator from "@openactive/data-model-validator";

const [cacheDir, activityListPath] = process.argv.slice(2);
if (!cacheDir || !activityListPath) {
  console.error("usage: node validate_openactive.mjs CACHE_DIR ACTIVITY_LIST_JSONLD");
  process.exit(2);
}

function seed(url, data) {
  const key = createHash("sha256").update(url).digest("hex");
  const entry = {
    errorCode: "error_none",
    data,
    statusCode: 200,
    url,
    exception: null,
    contentType: "application/ld+json",
    fetchTime: Date.now(),
  };
  writeFileSync(join(cacheDir, `${key}.json`), JSON.stringify(entry));
}

mkdirSync(cacheDir, { recursive: true });
seed("https://openactive.io/activity-list", JSON.parse(readFileSync(activityListPath, "utf8")));
// The beta and extension namespaces are only checked for being JSON-LD contexts.
seed("https://openactive.io/ns-beta", { "@context": {} });
seed("https://openactive.io/ns-extension", { "@context": {} });

const document = JSON.parse(readFileSync(0, "utf8"));
const problems = await validator.validate(document, {
  loadRemoteJson: true,
  remoteJsonCachePath: cacheDir,
  remoteJsonCacheTimeToLive: 10 * 365 * 24 * 3600,
});
const report = problems.map(({ severity, type, category, message, path }) => ({
  severity,
  type,
  category,
  message,
  path,
}));
process.stdout.write(JSON.stringify(report));
