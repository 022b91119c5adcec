// Where a training step of the bench model (784-128-64-10, batch 32, Adam, as bench/run.mjs trains) goes with
// threads: every kernel binding wrapped in a wall-clock timer, per call site, for one thread on the default build,
// one thread on the shared-memory build, and n threads; the configurations alternate round by round in one
// process (init switches between them), medians. Also: worker parts per step (how many kernel parts the pool
// threads, not the calling thread, ran) and the CPU time of the process per step.
//
//   node bench/threads-profile.mjs [--rounds=5] [--threads=2] [--batch=32] [--epochs=3] [--no-backoff]
//                                  [--elements=N] [--product-macs=N]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { wrapKernels } from "./kernel-timers.mjs";

const options = Object.fromEntries(process.argv.slice(2).map((argument) => argument.replace(/^--/, "").split("=")));
// --no-backoff: the pool never leaves kernels to the calling thread alone (to see the threads as they are).
const ROUNDS = Number(options.rounds ?? 5),
  THREADS = Number(options.threads ?? 2),
  BATCH = Number(options.batch ?? 32);
const SAMPLES = 4096,
  STEPS = Math.ceil(SAMPLES / BATCH),
  EPOCHS = Number(options.epochs ?? 3);

const entry = fileURLToPath(new URL("./threads-internals.ts", import.meta.url));
const bundled = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
});
const dir = mkdtempSync(join(os.tmpdir(), "densa-threads-profile-"));
writeFileSync(join(dir, "internals.mjs"), bundled.outputFiles[0].text);
const densa = await import(pathToFileURL(join(dir, "internals.mjs")).href);
rmSync(dir, { recursive: true });

const data = Float32Array.from({ length: SAMPLES * 784 }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
const labels = new Float32Array(SAMPLES * 10);
for (let i = 0; i < SAMPLES; i++) labels[i * 10 + ((i * 31) % 10)] = 1;

async function profileOnce() {
  densa.setRandomSeed(1);
  const model = new densa.Sequential([
    new densa.layers.Dense(128, { activation: "relu", inputShape: [784] }),
    new densa.layers.Dense(64, { activation: "relu" }),
    new densa.layers.Dense(10, { activation: "softmax" }),
  ]);
  model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
  const x = densa.tensor(data, [SAMPLES, 784]),
    y = densa.tensor(labels, [SAMPLES, 10]);
  const trainEpoch = () => model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
  await trainEpoch(); // warm-up
  const parts = () => densa.currentKernelVariant()?.workerParts ?? 0;
  const backoffs = () => densa.currentKernelVariant()?.poolStats?.backoffs ?? 0;
  // Each step's own wall time, from one first-layer forward to the next (one clock read a step): its fastest
  // tenth is what the step costs when nothing else wanted the cores, on a machine shared with other work.
  const engine = densa.getEngine();
  const forward = engine.kernels.denseForward;
  const stepStarts = [];
  engine.kernels = {
    ...engine.kernels,
    denseForward: (...args) => {
      if (args[2] === 784) stepStarts.push(performance.now());
      return forward(...args);
    },
  };
  let start = performance.now(),
    cpu = process.cpuUsage(),
    before = parts(),
    backoffsBefore = backoffs();
  for (let epoch = 0; epoch < EPOCHS; epoch++) await trainEpoch();
  const steps = stepStarts.slice(1).map((time, i) => (time - stepStarts[i]) * 1000);
  engine.kernels = { ...engine.kernels, denseForward: forward };
  const plain = {
    stepUs: ((performance.now() - start) * 1000) / (STEPS * EPOCHS),
    stepP10Us: quantile(steps, 0.1),
    stepP02Us: quantile(steps, 0.02),
    stepP50Us: quantile(steps, 0.5),
    cpuUs: cpuMicros(process.cpuUsage(cpu)) / (STEPS * EPOCHS),
    workerParts: (parts() - before) / (STEPS * EPOCHS),
    backoffs: backoffs() - backoffsBefore,
  };
  const pool = densa.currentKernelVariant()?.pool;
  if (pool) pool.profiling = true;
  const { totals, calls, split, onCores, unwrap } = wrapKernels(densa.getEngine(), pool);
  start = performance.now();
  try {
    await trainEpoch();
  } finally {
    unwrap();
    if (pool) pool.profiling = false;
  }
  const wrappedStepUs = ((performance.now() - start) * 1000) / STEPS;
  model.dispose();
  return {
    ...plain,
    wrappedStepUs,
    kernels: Object.fromEntries([...totals].map(([label, us]) => [label, us / STEPS])),
    // The fastest tenth of each call site's calls, times its calls per step: the kernels on free cores.
    fastKernels: Object.fromEntries(
      [...calls].map(([label, times]) => [label, (quantile(times, 0.1) * times.length) / STEPS]),
    ),
    fastCall: Object.fromEntries([...calls].map(([label, times]) => [label, quantile(times, 0.1)])),
    // Split calls in which a pool thread ran parts within 10 µs of the hand-off (both threads had a core): how
    // many, and their fastest tenth and median wall time (µs).
    onCores: Object.fromEntries(
      [...onCores].map(([label, times]) => [
        label,
        { count: times.length, fastest: quantile(times, 0.1), median: quantile(times, 0.5) },
      ]),
    ),
    // Per call site, per step: split tasks, µs the calling thread ran parts and waited, µs the pool threads ran
    // parts, their mean lag per task they saw (µs), and the share of tasks they ran a part of.
    split: Object.fromEntries(
      [...split].map(([label, entry]) => [
        label,
        {
          tasks: entry.tasks / STEPS,
          ownUs: (entry.own * 1000) / STEPS,
          waitUs: (entry.waited * 1000) / STEPS,
          workerUs: (entry.workerBusy * 1000) / STEPS,
          lagUs: entry.workerSeen ? (entry.workerLag * 1000) / entry.workerSeen : 0,
          workedShare: entry.tasks ? entry.workerWorked / entry.tasks : 0,
        },
      ]),
    ),
  };
}
const cpuMicros = ({ user, system }) => user + system;
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(values.length * q)];

const configs = [
  { name: "default build, 1 thread", threads: 1, shared: false },
  { name: "shared build, 1 thread", threads: 1, shared: true },
  { name: `shared build, ${THREADS} threads`, threads: THREADS, shared: true },
];
// NOTE: init cannot go back from the shared build to the default one, so each configuration of each round
// runs in a child process of its own (rounds still alternate the configurations).
if (options.config !== undefined) {
  const config = configs[Number(options.config)];
  // The shared build with one thread: init 2 threads, then 1 (same build, pool stopped).
  if ("no-backoff" in options) Object.assign(densa.POOL_BACKOFF_MS, { first: 0, max: 0 });
  // Other split thresholds than PARALLEL_MIN_WORK's (least work of a part): --elements=N, --product-macs=N.
  if (options.elements !== undefined) densa.PARALLEL_MIN_WORK.elements = Number(options.elements);
  if (options["product-macs"] !== undefined) densa.PARALLEL_MIN_WORK.productMacs = Number(options["product-macs"]);
  if (config.shared) await densa.init({ threads: Math.max(2, config.threads) });
  await densa.init({ threads: config.threads });
  if (!config.shared && densa.currentKernelVariant()) throw new Error("expected the default build");
  console.log(JSON.stringify(await profileOnce()));
  process.exit(0);
}
const runs = configs.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const c of configs.keys()) {
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), ...process.argv.slice(2), `--config=${c}`],
      { encoding: "utf8" },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    runs[c].push(JSON.parse(child.stdout.trim().split("\n").pop()));
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const summary = runs.map((configRuns) => ({
  stepUs: median(configRuns.map((run) => run.stepUs)),
  stepP10Us: median(configRuns.map((run) => run.stepP10Us)),
  stepP02Us: median(configRuns.map((run) => run.stepP02Us)),
  stepP50Us: median(configRuns.map((run) => run.stepP50Us)),
  cpuUs: median(configRuns.map((run) => run.cpuUs)),
  workerParts: median(configRuns.map((run) => run.workerParts)),
  backoffs: median(configRuns.map((run) => run.backoffs)),
  wrappedStepUs: median(configRuns.map((run) => run.wrappedStepUs)),
  kernels: Object.fromEntries(
    Object.keys(configRuns[0].kernels).map((label) => [
      label,
      median(configRuns.map((run) => run.kernels[label] ?? 0)),
    ]),
  ),
  fastKernels: Object.fromEntries(
    Object.keys(configRuns[0].fastKernels).map((label) => [
      label,
      median(configRuns.map((run) => run.fastKernels[label] ?? 0)),
    ]),
  ),
}));
const f = (value) => value.toFixed(1).padStart(8);
console.log(`batch ${BATCH}, ${ROUNDS} rounds, medians (µs per step); load average ${os.loadavg()[0].toFixed(1)}`);
console.log(`${"".padEnd(36)}${configs.map((config) => config.name.padStart(28)).join("")}`);
const row = (label, pick) => console.log(`${label.padEnd(36)}${summary.map((s) => f(pick(s)).padStart(28)).join("")}`);
row("fit step (wall)", (s) => s.stepUs);
row("  one step, median (wall)", (s) => s.stepP50Us);
row("  one step, fastest tenth (wall)", (s) => s.stepP10Us);
row("  one step, fastest 2% (wall)", (s) => s.stepP02Us);
row("  speed vs default build, fit step", (s) => summary[0].stepUs / s.stepUs);
row("  speed vs default build, fastest tenth", (s) => summary[0].stepP10Us / s.stepP10Us);
row("  speed vs default build, fastest 2%", (s) => summary[0].stepP02Us / s.stepP02Us);
row("fit step (CPU, all threads)", (s) => s.cpuUs);
row("worker parts per step", (s) => s.workerParts);
row("pool backoffs in the epoch", (s) => s.backoffs);
row("fit step with timers (wall)", (s) => s.wrappedStepUs);
const labelsSeen = [...new Set(summary.flatMap((s) => Object.keys(s.kernels)))].sort(
  (a, b) => summary[0].kernels[b] - summary[0].kernels[a],
);
for (const label of labelsSeen) row(`  ${label}`, (s) => s.kernels[label] ?? 0);
row("  sum of kernels", (s) => Object.values(s.kernels).reduce((a, b) => a + b, 0));
console.log("the fastest tenth of each call, times its calls per step:");
for (const label of labelsSeen) row(`  ${label}`, (s) => s.fastKernels[label] ?? 0);
row("  sum of kernels", (s) => Object.values(s.fastKernels).reduce((a, b) => a + b, 0));

// The threaded configuration's split kernels: where the calling thread's time goes, and the pool threads'.
const threaded = runs[runs.length - 1];
const splitLabels = [...new Set(threaded.flatMap((run) => Object.keys(run.split ?? {})))].filter((label) =>
  threaded.some((run) => run.split[label]?.tasks > 0),
);
if (splitLabels.length) {
  const single = runs[0];
  console.log(
    "\nsplit calls in which the pool thread ran parts within 10 µs of the hand-off (both threads on a core), all rounds:",
  );
  console.log(
    `${"".padEnd(36)}${["calls", "fastest tenth µs", "median µs", "1 thread µs", "speed"].map((c) => c.padStart(16)).join("")}`,
  );
  for (const label of splitLabels) {
    const seen = threaded.map((run) => run.onCores?.[label]).filter(Boolean);
    if (!seen.length) continue;
    const count = seen.reduce((total, entry) => total + entry.count, 0);
    const fastest = median(seen.map((entry) => entry.fastest));
    const middle = median(seen.map((entry) => entry.median));
    const one = median(single.map((run) => run.fastCall[label] ?? 0));
    console.log(
      `  ${label.padEnd(34)}${[count, fastest, middle, one, one / fastest].map((value) => value.toFixed(2).padStart(16)).join("")}`,
    );
  }
  const columns = ["tasks", "ownUs", "waitUs", "workerUs", "lagUs", "workedShare"];
  console.log(`\n${configs[configs.length - 1].name}: split kernels per step (medians)`);
  console.log(
    `${"".padEnd(36)}${["tasks", "caller parts µs", "caller wait µs", "pool parts µs", "pool lag µs", "pool worked"].map((c) => c.padStart(16)).join("")}`,
  );
  for (const label of splitLabels) {
    const values = columns.map((column) => median(threaded.map((run) => run.split[label]?.[column] ?? 0)));
    console.log(`  ${label.padEnd(34)}${values.map((value) => value.toFixed(2).padStart(16)).join("")}`);
  }
}
process.exit(0);
