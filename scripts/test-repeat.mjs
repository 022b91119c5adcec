#!/usr/bin/env node
// Runs the unit tests (`vitest run`) N times in a row and reports how many runs passed: a test that fails in
// some runs and not others is a flake, which this makes visible.
//   npm run test:repeat -- 5                       the whole unit suite, 5 times
//   npm run test:repeat -- 3 tests/model -t fit    any further arguments go to vitest (paths, filters)
// Exit code 0 only when every run passed.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const [countArgument, ...vitestArguments] = process.argv.slice(2);
const runs = Number(countArgument ?? 5);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`test:repeat: the number of runs must be a positive integer, got ${JSON.stringify(countArgument)}`);
  process.exit(2);
}

const vitest = createRequire(import.meta.url).resolve("vitest/vitest.mjs");
let passed = 0;
const failedRuns = [];
for (let run = 1; run <= runs; run++) {
  console.log(`\ntest:repeat: run ${run} of ${runs}: vitest run ${vitestArguments.join(" ")}`);
  const result = spawnSync(process.execPath, [vitest, "run", ...vitestArguments], { stdio: "inherit" });
  if (result.status === 0) passed++;
  else failedRuns.push(run);
}
console.log(
  `\ntest:repeat: ${passed} of ${runs} runs passed${failedRuns.length ? ` (failed: run ${failedRuns.join(", ")})` : ""}`,
);
process.exit(passed === runs ? 0 : 1);
