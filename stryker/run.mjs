#!/usr/bin/env node
// `npm run test:mutation [-- <stryker options>]`: runs StrykerJS with stryker/stryker.config.mjs (extra options
// go to Stryker, e.g. --mutate 'ts/losses/**/*.ts' or --force), then prints the score of each folder.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("build/densa-wasm-inline.js")) {
  console.error(
    "test:mutation: build/densa-wasm-inline.js is missing; run npm run build first (the tests load the wasm kernels from build/)",
  );
  process.exit(1);
}
const started = Date.now();
const stryker = spawnSync("npx", ["stryker", "run", "stryker/stryker.config.mjs", ...process.argv.slice(2)], {
  stdio: "inherit",
});
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
if (stryker.status !== 0) {
  console.error(`test:mutation: Stryker exited with ${stryker.status ?? stryker.signal} after ${minutes} min`);
  process.exit(stryker.status ?? 1);
}
const score = spawnSync(process.execPath, ["stryker/score-by-folder.mjs", "reports/mutation/mutation.json"], {
  stdio: "inherit",
});
console.log(`\nStryker took ${minutes} min (report: reports/mutation/index.html)`);
process.exit(score.status ?? 1);
