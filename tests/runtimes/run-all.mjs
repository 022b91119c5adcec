// Runtime smoke tests (`npm run test:runtimes`, after `npm run build`): packs the package, installs it into
// a throwaway consumer project and, in every runtime, imports "densa" as a user would, runs app/checks.mjs
// and checks the answers and which dist file the runtime's export condition picked. Checks marked
// `sameInEveryRuntime` (a seeded training run's weight hash) must give the same answer in every runtime.
//
//   node tests/runtimes/run-all.mjs [runtime …]     e.g. `… run-all.mjs deno workerd`; all when none given
//   DENSA_KEEP_TMP=1 keeps the temp consumer project for debugging.
//
// One line per runtime (`ok …` / `FAIL name: reason`), then `N passed, N failed`; exit code 1 on any failure.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checks } from "./app/checks.mjs";
import { createConsumer } from "./harness/consumer.mjs";
import { stopAll } from "./harness/process.mjs";
import { compareAcrossRuntimes, judge } from "./harness/report.mjs";
import { bun } from "./runtimes/bun.mjs";
import { chromium } from "./runtimes/chromium.mjs";
import { deno } from "./runtimes/deno.mjs";
import { nodeCjs, nodeEsm } from "./runtimes/node.mjs";
import { types } from "./runtimes/types.mjs";
import { workerd } from "./runtimes/workerd.mjs";

const RUNTIMES = [nodeEsm, nodeCjs, deno, bun, workerd, chromium, types];
const RUNTIME_TIMEOUT_MS = 20_000; // each runtime normally answers in well under a second (types: ~3 s)
const WATCHDOG_MS = 100_000; // the whole run, setup included; normally under 10 s

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
const appDir = fileURLToPath(new URL("./app/", import.meta.url));

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !RUNTIMES.some((runtime) => runtime.name === name));
if (unknown.length) {
  console.error(`unknown runtime ${unknown.join(", ")}; known: ${RUNTIMES.map((runtime) => runtime.name).join(", ")}`);
  process.exit(2);
}
const selected = wanted.length ? RUNTIMES.filter((runtime) => wanted.includes(runtime.name)) : RUNTIMES;

let passed = 0;
let failed = 0;
setTimeout(() => {
  console.log(`FAIL watchdog: the run took longer than ${WATCHDOG_MS / 1000} s`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1); // the "exit" handler below kills the children and removes the temp dir
}, WATCHDOG_MS).unref();

const workDir = mkdtempSync(join(tmpdir(), "densa-runtimes-"));
// NOTE: on "exit" so that a signal or the watchdog cleans up too (harness/process.mjs kills children first).
process.on("exit", () => {
  stopAll();
  if (process.env.DENSA_KEEP_TMP) console.log(`kept ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
});

const reports = new Map(); // runtime name → report, for the cross-runtime comparison
const consumer = await setUp();
if (consumer) {
  for (const runtime of selected) {
    if (await runOne(runtime, consumer.dir)) passed++;
    else failed++;
  }
  for (const comparison of compareAcrossRuntimes(reports)) {
    if (comparison.skipped) console.log(`skipped same bits (${comparison.name}): ${comparison.detail}`);
    else if (comparison.ok) passed++;
    else failed++;
    if (!comparison.skipped)
      console.log(`${comparison.ok ? "ok" : "FAIL"} same bits (${comparison.name}): ${comparison.detail}`);
  }
} else failed++;
console.log(`${passed} passed, ${failed} failed`);
// NOTE: exit explicitly: a runtime abandoned by withTimeout may still hold handles open.
process.exit(failed ? 1 : 0);

async function setUp() {
  if (!existsSync(join(projectRoot, "dist/densa.js"))) {
    console.log("FAIL setup: dist/densa.js is missing; run `npm run build` first");
    return undefined;
  }
  const started = performance.now();
  try {
    const consumer = await createConsumer(projectRoot, workDir, appDir);
    writeKerasFixtures(join(consumer.dir, "app", "keras-fixtures.mjs"));
    const { filename, size, entryCount } = consumer.pack;
    console.log(
      `packed ${filename} (${entryCount} files, ${(size / 1024).toFixed(1)} kB) and installed it ${ms(started)}`,
    );
    return consumer;
  } catch (error) {
    console.log(`FAIL setup: ${error.message}`);
    return undefined;
  }
}

async function runOne(runtime, consumerDir) {
  const started = performance.now();
  const context = { projectRoot, consumerDir, workDir, timeoutMs: RUNTIME_TIMEOUT_MS };
  let problems;
  let report;
  try {
    report = await withTimeout(runtime.run(context), RUNTIME_TIMEOUT_MS + 5_000);
    if (report?.results) reports.set(runtime.name, report);
    problems = (runtime.judge ?? judge)(report, runtime.expectedEntry);
  } catch (error) {
    problems = [error instanceof Error ? error.message : String(error)];
  }
  if (problems.length) {
    console.log(`FAIL ${runtime.name}: ${problems.join("; ")} ${ms(started)}`);
    return false;
  }
  console.log(
    `ok ${runtime.name} ${runtime.expectedEntry}, ${runtime.summary ?? `${checks.length} checks`} ${ms(started)}`,
  );
  return true;
}

/**
 * The Keras fixture files (../shared/fixtures/keras-files, up to 500 kB each) as a module the app imports in every
 * runtime: bytes in base64, the numpy inputs and outputs. Empty when the fixtures are absent (the check says so).
 */
function writeKerasFixtures(path) {
  const dir = join(projectRoot, "../shared/fixtures/keras-files/");
  const fixtures = [];
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)
      .filter((name) => /\.(keras|h5)$/.test(name))
      .sort()) {
      const bytes = readFileSync(join(dir, file));
      if (bytes.length > 500_000) continue;
      const name = file.replace(/\.(keras|h5)$/, "");
      const inputs = JSON.parse(readFileSync(join(dir, `${name}.inputs.json`), "utf8"));
      const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), "utf8"));
      // NOTE: a several-input (Functional) model's inputs and shape are lists, one entry per input.
      fixtures.push({
        name: file,
        base64: bytes.toString("base64"),
        inputs: inputs.inputs,
        shape: inputs.shape,
        expected: expected.outputs,
      });
    }
  } else console.log(`note: ${dir} is absent; the Keras fixture check reports "skipped"`);
  writeFileSync(path, `export const kerasFixtures = ${JSON.stringify(fixtures)};\n`);
}

/** Backstop for a runtime whose own timeouts failed; its children are still killed by stopAll(). */
function withTimeout(promise, timeoutMs) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function ms(started) {
  return `(${Math.round(performance.now() - started)} ms)`;
}
