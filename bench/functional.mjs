// Issue 9's "no regression" rows for the Functional API: (1) a two-branch Functional model trains within 15 % of
// the samples/s of the Sequential bench model doing the same work, (2) 300 build / fit / dispose cycles of a
// Functional model with BatchNormalization grow RSS by under 16 MiB (bench/functional-memory.mjs, a child).
//
//   node bench/functional.mjs [--rounds=7] [--cycles=300] [--warmup-cycles=200] [--json]
//
// The pair does equal arithmetic (per sample, multiply-adds of the forward pass):
//   Sequential  784 → Dense 128 relu → Dense 64 relu → Dense 10 softmax
//               784·128 + 128·64 + 64·10                    = 100,352 + 8,192 + 640 = 109,184
//   Functional  784 → Dense 64 relu ┐
//               784 → Dense 64 relu ┴ Concatenate (128) → Dense 64 relu → Dense 10 softmax
//               2·784·64 + 128·64 + 64·10                   = 100,352 + 8,192 + 640 = 109,184
// Both have 109,386 parameters (the same Adam work); neither needs the input's gradient; the backward pass
// propagates through the same two layers (128·64 + 64·10). Training FLOPs per sample, both: 2·109,184 forward +
// 2·109,184 for the weight gradients + 2·8,832 for the propagated gradients = 454,400. What the Functional model
// adds is the graph itself: the Concatenate copy forward, its split backward, and walking nodes instead of a chain.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./measure.mjs";
import { syntheticClassification } from "./synthetic.mjs";

const INPUTS = 784;
const CLASSES = 10;
const SAMPLES = 4096;
const BATCH_SIZE = 32;

export const FUNCTIONAL_FLOPS = {
  forwardMultiplyAdds: 2 * 784 * 64 + 128 * 64 + 64 * 10,
  sequentialForwardMultiplyAdds: 784 * 128 + 128 * 64 + 64 * 10,
  trainingFlopsPerSample: 2 * (2 * 784 * 64 + 128 * 64 + 64 * 10) * 2 + 2 * (128 * 64 + 64 * 10),
};

// NOTE: loaded on first use, so that bench/run.mjs still runs (and skips densa with a reason) before a build.
let densa;

function sequentialModel() {
  const { Sequential, layers } = densa;
  const model = new Sequential([
    new layers.Dense(128, { activation: "relu", inputShape: [INPUTS] }),
    new layers.Dense(64, { activation: "relu" }),
    new layers.Dense(CLASSES, { activation: "softmax" }),
  ]);
  model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
  return model;
}

function twoBranchModel() {
  const { Input, Model, layers } = densa;
  const input = Input({ shape: [INPUTS] });
  const left = new layers.Dense(64, { activation: "relu" }).apply(input);
  const right = new layers.Dense(64, { activation: "relu" }).apply(input);
  const joined = new layers.Concatenate().apply([left, right]);
  const hidden = new layers.Dense(64, { activation: "relu" }).apply(joined);
  const output = new layers.Dense(CLASSES, { activation: "softmax" }).apply(hidden);
  const model = new Model({ inputs: input, outputs: output, name: "two_branch" });
  model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
  return model;
}

/** One fit epoch (no shuffle), in wall-clock and process-CPU samples/s. */
async function epochRate(model, x, y) {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await model.fit(densa.tensor(x, [SAMPLES, INPUTS]), densa.tensor(y, [SAMPLES, CLASSES]), {
    epochs: 1,
    batchSize: BATCH_SIZE,
    shuffle: false,
    verbose: 0,
  });
  const wallSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: SAMPLES / wallSeconds, cpu: SAMPLES / ((cpu.user + cpu.system) / 1e6) };
}

/**
 * The two models take turns in one process, the first of each round alternating, one warm-up epoch each, then
 * `rounds` timed epochs each. Ratios are taken per round (the two epochs ran back to back, under the same load)
 * and the median of those is the figure; the samples/s are medians too.
 */
export async function measureFunctionalThroughput({ rounds = 7 } = {}) {
  densa = await import("../dist/densa.js");
  // NOTE: one thread, as the training row (bench/run.mjs may have run an all-threads configuration before).
  await densa.init({ threads: 1 });
  densa.setRandomSeed(1);
  const data = syntheticClassification({ count: SAMPLES, features: INPUTS, classes: CLASSES, seed: 1 });
  const models = { sequential: sequentialModel(), functional: twoBranchModel() };
  const parameters = { sequential: models.sequential.countParams(), functional: models.functional.countParams() };
  if (parameters.sequential !== parameters.functional)
    throw new Error(`bench: the pair differs in parameters: ${JSON.stringify(parameters)}`);
  const runs = { sequential: [], functional: [] };
  const ratios = { wall: [], cpu: [] };
  try {
    for (const name of ["sequential", "functional"]) await epochRate(models[name], data.x, data.y);
    for (let round = 0; round < rounds; round++) {
      console.error(`  functional vs sequential round ${round + 1}/${rounds}`);
      const order = round % 2 ? ["functional", "sequential"] : ["sequential", "functional"];
      const rates = {};
      for (const name of order) rates[name] = await epochRate(models[name], data.x, data.y);
      for (const name of order) runs[name].push(rates[name]);
      ratios.wall.push(rates.functional.wall / rates.sequential.wall);
      ratios.cpu.push(rates.functional.cpu / rates.sequential.cpu);
    }
  } finally {
    models.sequential.dispose();
    models.functional.dispose();
  }
  const summary = (list) => ({
    samplesPerSecond: median(list.map((r) => r.wall)),
    cpuSamplesPerSecond: median(list.map((r) => r.cpu)),
  });
  return {
    rounds,
    parameters: parameters.functional,
    ...FUNCTIONAL_FLOPS,
    sequential: summary(runs.sequential),
    functional: summary(runs.functional),
    ratio: { wall: median(ratios.wall), cpu: median(ratios.cpu), cpuPerRound: ratios.cpu },
  };
}

/** RSS growth over build / fit / dispose cycles, measured in a child (bench/functional-memory.mjs). */
export function measureFunctionalMemory({ cycles = 300, warmupCycles = 200 } = {}) {
  const script = fileURLToPath(new URL("./functional-memory.mjs", import.meta.url));
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", script, `--cycles=${cycles}`, `--warmup-cycles=${warmupCycles}`],
    {
      encoding: "utf8",
      timeout: 1_200_000,
    },
  );
  if (child.status !== 0)
    throw new Error(`bench/functional-memory.mjs failed: ${child.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  return JSON.parse(child.stdout.trim().split("\n").pop());
}

const MiB = 1024 * 1024;

/** Text lines for the console (bench/run.mjs prints them in its report too). */
export function describeFunctional({ throughput, memory }) {
  const lines = [];
  if (throughput) {
    const t = throughput;
    const rate = (r) =>
      `${Math.round(r.samplesPerSecond).toLocaleString("en-US")} samples/s (${Math.round(r.cpuSamplesPerSecond).toLocaleString("en-US")} per CPU s)`;
    lines.push(
      `Functional two-branch vs Sequential, ${t.parameters.toLocaleString("en-US")} parameters and ${t.trainingFlopsPerSample.toLocaleString("en-US")} training FLOPs a sample each, ${t.rounds} rounds:`,
      `  Sequential 784-128-64-10          ${rate(t.sequential)}`,
      `  Functional 784-[64|64]-64-10      ${rate(t.functional)}`,
      `  Functional ÷ Sequential, median of per-round ratios: ${t.ratio.wall.toFixed(3)} wall, ${t.ratio.cpu.toFixed(3)} CPU (rounds: ${t.ratio.cpuPerRound.map((r) => r.toFixed(2)).join(", ")})`,
    );
  }
  if (memory) {
    const m = memory;
    lines.push(
      `Functional model with BatchNormalization, ${m.cycles} build / fit / dispose cycles after ${m.warmupCycles} warm-up: RSS ${(m.rssAfterWarmup / MiB).toFixed(1)} → ${(m.rssAfter / MiB).toFixed(1)} MiB (${m.rssGrowth >= 0 ? "+" : ""}${(m.rssGrowth / MiB).toFixed(1)}), peak ${(m.rssPeak / MiB).toFixed(1)} MiB`,
      `  JS heap used ${(m.heapAfterWarmup / MiB).toFixed(1)} → ${(m.heapAfter / MiB).toFixed(1)} MiB, committed ${(m.heapCommittedAfterWarmup / MiB).toFixed(1)} → ${(m.heapCommittedAfter / MiB).toFixed(1)} MiB; ` +
        `wasm memory ${(m.wasmAfterWarmup.memoryBytes / MiB).toFixed(1)} → ${(m.wasmAfter.memoryBytes / MiB).toFixed(1)} MiB, allocator ${m.wasmAfterWarmup.bytesInUse} → ${m.wasmAfter.bytesInUse} bytes in ${m.wasmAfterWarmup.liveBlocks} → ${m.wasmAfter.liveBlocks} blocks`,
    );
  }
  return lines.join("\n");
}

function parseArguments(argv) {
  const options = { rounds: 7, cycles: 300, warmupCycles: 200, json: false };
  for (const argument of argv) {
    const [key, value = ""] = argument.replace(/^--/, "").split("=");
    if (key === "rounds") options.rounds = Number(value);
    else if (key === "cycles") options.cycles = Number(value);
    else if (key === "warmup-cycles") options.warmupCycles = Number(value);
    else if (key === "json") options.json = true;
    else throw new Error(`bench/functional.mjs: unknown argument ${argument}`);
  }
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = parseArguments(process.argv.slice(2));
  const throughput = await measureFunctionalThroughput(options);
  const memory = measureFunctionalMemory(options);
  console.log(describeFunctional({ throughput, memory }));
  if (options.json) console.log(JSON.stringify({ throughput, memory }));
}
