// Threads and relaxed SIMD on this machine: one process (bench/threads-child.mjs) runs every configuration,
// alternating them round by round (init switches kernel build or pool in between), so a busy moment of the
// machine hits all of them; the table gives medians and ratios to one thread on the default kernels.
//
//   node bench/threads.mjs [--rounds=5] [--threads=2] [--batches=32,128,512] [--no-relaxed]
//
// For bench/run.mjs: `import { measureThreads, threadsMarkdown } from "./threads.mjs"`, then
// `threadsMarkdown(await measureThreads({ rounds }))` is a section for RESULTS.md.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const child = fileURLToPath(new URL("./threads-child.mjs", import.meta.url));
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** The engine internals (kernel bindings) bundled once for the children's GEMM timings. */
async function bundleInternals(dir) {
  const entry = fileURLToPath(new URL("./threads-internals.ts", import.meta.url));
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
  });
  const file = join(dir, "internals.mjs");
  writeFileSync(file, result.outputFiles[0].text);
  return file;
}

/** { configurations: [{ name, given, runs: [{ training, predict256Ms, gemm } …] }], … } after `rounds` rounds. */
export async function measureThreads({ rounds = 5, threads = 2, batches = [32, 128, 512], relaxed = true } = {}) {
  const dir = mkdtempSync(join(os.tmpdir(), "densa-bench-threads-"));
  try {
    const internals = await bundleInternals(dir);
    const configs = ["1", String(threads), ...(relaxed ? ["1r", `${threads}r`] : [])];
    // NOTE: Node 20 validates relaxed SIMD only with this flag (Node ≥ 22, Deno, Bun, Chromium: always).
    const flags = relaxed ? ["--experimental-wasm-relaxed-simd"] : [];
    const run = spawnSync(
      process.execPath,
      [...flags, child, internals, String(rounds), configs.join(","), batches.join(",")],
      { encoding: "utf8", timeout: 1_800_000 },
    );
    if (run.status !== 0)
      throw new Error(`bench/threads: the measuring process failed: ${run.stderr.split("\n").slice(0, 5).join(" ")}`);
    const names = { 1: "1 thread", [threads]: `${threads} threads` };
    const configurations = JSON.parse(run.stdout.trim().split("\n").pop()).map((result) => ({
      ...result,
      name: `${names[result.threads]}${result.relaxed ? ", relaxed SIMD" : ""}`,
    }));
    return {
      configurations,
      batches,
      rounds,
      machine: `${os.cpus()[0]?.model ?? "?"}, ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`,
      date: new Date().toISOString(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Medians per configuration and their ratio to the first (one thread, default kernels). */
export function summarizeThreads({ configurations, batches }) {
  return configurations.map((configuration) => {
    const runs = configuration.runs;
    const training = Object.fromEntries(
      batches.map((batch) => [batch, median(runs.map((run) => run.training[batch]))]),
    );
    const trainingFastest = Object.fromEntries(
      batches.map((batch) => [batch, median(runs.map((run) => run.trainingFastest[batch]))]),
    );
    const trainingPerCpu = Object.fromEntries(
      batches.map((batch) => [batch, median(runs.map((run) => run.trainingPerCpu[batch]))]),
    );
    const workerPartsPerStep = Object.fromEntries(
      batches.map((batch) => [batch, median(runs.map((run) => run.workerPartsPerStep[batch]))]),
    );
    const backoffs = Object.fromEntries(
      batches.map((batch) => [batch, median(runs.map((run) => run.backoffs[batch]))]),
    );
    const gemm = Object.fromEntries(
      Object.keys(runs[0].gemm).flatMap((shape) => [
        [shape, median(runs.map((run) => run.gemm[shape].wall))],
        [`${shape} per CPU-s`, median(runs.map((run) => run.gemm[shape].cpu))],
      ]),
    );
    return {
      name: configuration.name,
      given: configuration.given,
      training,
      trainingFastest,
      trainingPerCpu,
      workerPartsPerStep,
      backoffs,
      predict256Ms: median(runs.map((run) => run.predict256Ms)),
      gemm,
    };
  });
}

export function threadsMarkdown(result) {
  const rows = summarizeThreads(result);
  const base = rows[0];
  const ratio = (value, reference) => `${(value / reference).toFixed(2)}×`;
  const lines = [
    `### Threads and relaxed SIMD (${result.machine}; ${result.date.slice(0, 10)}; medians of ${result.rounds} alternating runs)`,
    "",
    `| configuration | ${result.batches.map((batch) => `train batch ${batch} (samples/s)`).join(" | ")} | predict(256) ms | ${Object.keys(
      base.gemm,
    )
      .map((shape) => `GEMM ${shape} GFLOP/s`)
      .join(" | ")} |`,
    `|---|${result.batches.map(() => "---:").join("|")}|---:|${Object.keys(base.gemm)
      .map(() => "---:")
      .join("|")}|`,
  ];
  for (const row of rows) {
    const training = result.batches.map(
      (batch) => `${row.training[batch]} (${ratio(row.training[batch], base.training[batch])})`,
    );
    const gemm = Object.keys(base.gemm).map(
      (shape) => `${row.gemm[shape]} (${ratio(row.gemm[shape], base.gemm[shape])})`,
    );
    const given =
      row.given.threads !== undefined
        ? ` [ran ${row.given.threads} thread(s)${row.given.relaxedSimd ? ", relaxed" : ""}]`
        : "";
    lines.push(
      `| ${row.name}${given} | ${training.join(" | ")} | ${row.predict256Ms} (${ratio(base.predict256Ms, row.predict256Ms)}) | ${gemm.join(" | ")} |`,
    );
  }
  lines.push(
    "",
    "The fastest tenth of the training steps (samples/s of one step): what a step costs when the threads had their",
    "cores; on a machine shared with other work the epoch rates above also count the time the scheduler gave others.",
    "",
    `| configuration | ${result.batches.map((batch) => `train batch ${batch}, fastest tenth of steps (samples/s)`).join(" | ")} |`,
    `|---|${result.batches.map(() => "---:").join("|")}|`,
    ...rows.map(
      (row) =>
        `| ${row.name} | ${result.batches.map((batch) => `${row.trainingFastest[batch]} (${ratio(row.trainingFastest[batch], base.trainingFastest[batch])})`).join(" | ")} |`,
    ),
    "",
    "Per CPU-second (user + system time of the process, all its threads): what the kernels cost, whatever share of the",
    "machine the scheduler gave; for one thread this isolates relaxed SIMD's effect from the load of the machine.",
    "",
    `| configuration | ${result.batches.map((batch) => `train batch ${batch} (samples per CPU-s)`).join(" | ")} | ${result.batches.map((batch) => `worker parts per step / pool backoffs, batch ${batch}`).join(" | ")} |`,
    `|---|${result.batches.map(() => "---:").join("|")}|${result.batches.map(() => "---:").join("|")}|`,
    ...rows.map(
      (row) =>
        `| ${row.name} | ${result.batches.map((batch) => `${row.trainingPerCpu[batch]} (${ratio(row.trainingPerCpu[batch], base.trainingPerCpu[batch])})`).join(" | ")} | ${result.batches.map((batch) => `${row.workerPartsPerStep[batch]} / ${row.backoffs[batch]}`).join(" | ")} |`,
    ),
    "",
    "Worker parts per step: kernel parts the pool's workers ran (the calling thread ran the rest). Pool backoffs: times the",
    "pool ran kernels on the calling thread alone for a while because its workers did not get a core often enough to pay",
    "(ts/engine/threads/thread-pool.ts); on a loaded machine that keeps 2 threads near 1 thread's speed.",
  );
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = {};
  for (const argument of process.argv.slice(2)) {
    const [key, value] = argument.replace(/^--/, "").split("=");
    if (key === "rounds") options.rounds = Number(value);
    else if (key === "threads") options.threads = Number(value);
    else if (key === "batches") options.batches = value.split(",").map(Number);
    else if (key === "no-relaxed") options.relaxed = false;
    else throw new Error(`bench/threads: unknown argument ${argument}`);
  }
  console.log(threadsMarkdown(await measureThreads(options)));
}
