// Where one training step of the bench model goes: MLP 784-128-64-10 (relu, relu, softmax), batch 32, Adam,
// categorical cross-entropy, driven by model.fit exactly as bench/run.mjs drives it.
//
//   npm run build && node bench/step-profile.mjs [--rounds=7] [--quick] [--json]
//
// --json: also prints, as the last line, { stepMicros, gemmAloneMicros, gemmFlop, ratio, … } (bench/run.mjs reads it).
//
// Method (all in one process, interleaved, medians):
//  1. fit step: one fit epoch of 4096 samples (128 steps) ÷ 128, with the kernel bindings untouched.
//  2. per kernel: the same epoch with every binding of the engine wrapped in a timer (calls and µs per step,
//     in the step's own cache state). Wrapped epochs alternate with plain ones.
//  3. kernels alone: the kernel calls of one recorded step (same arguments, same memory) replayed back to back
//     with no JavaScript between them. fit step − this = JavaScript (fit loop, layers, optimizer, logs).
//     NOTE: the optimizer's update is the one call that changes its own inputs (weights, moments): run again and
//     again it would walk them somewhere no step goes (a moment whose gradient is 0 decays into the subnormal
//     range, where x86 multiplies several times slower). So the recording copies what the update reads and
//     writes (weights, gradients, moments) before its call, and every replay that includes it restores that
//     copy first (the restore's own time taken off): each replayed update is the recorded step's own update.
//  4. GEMM alone: each GEMM of the step (the three forward X·W as gemmNN, the dW = Xᵀ·dY as gemmTN, the
//     dX = dY·Wᵀ as gemmNT) repeated on its own with its operands in cache: the kernel's own throughput on the
//     step's shapes. ratio = (GEMM FLOPs of a step ÷ fit step time) ÷ (the same FLOPs ÷ their time alone).
//  5. packing: packRows / packColumns / packPairs (assembly/gemm-pack.ts, compiled here on its own with the
//     release flags) on the strips those GEMMs pack: an estimate of the share of packing inside the GEMM times.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import asc from "assemblyscript/asc";
import { importDensaSource } from "./densa-source.mjs";
import { median } from "./measure.mjs";
import { syntheticClassification } from "./synthetic.mjs";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const roundsArg = argv.find((arg) => arg.startsWith("--rounds="));
const ROUNDS = roundsArg ? Number(roundsArg.slice(9)) : quick ? 3 : 7;
const SAMPLES = 4096,
  BATCH = 32,
  STEPS = SAMPLES / BATCH;
const now = () => performance.now();
/** Process CPU time (user + system) in ms: unlike the wall clock, it does not count time spent waiting for a
 * core, which on this shared machine is most of the noise. */
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const densa = await importDensaSource();
await densa.init();
densa.setRandomSeed(1);
const engine = densa.getEngine();
const plainKernels = engine.kernels;

const model = new densa.Sequential([
  new densa.layers.Dense(128, { activation: "relu", inputShape: [784] }),
  new densa.layers.Dense(64, { activation: "relu" }),
  new densa.layers.Dense(10, { activation: "softmax" }),
]);
model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
const data = syntheticClassification({ count: SAMPLES, features: 784, classes: 10, seed: 1 });
const fitEpoch = async () => {
  const start = cpuNow();
  await model.fit(densa.tensor(data.x, [SAMPLES, 784]), densa.tensor(data.y, [SAMPLES, 10]), {
    epochs: 1,
    batchSize: BATCH,
    shuffle: false,
    verbose: 0,
  });
  return (cpuNow() - start) / STEPS;
};

// ---- the timing wrapper: per call site "name (shape)", µs summed; optionally records the calls ----
/** How a kernel call is labelled: its name and the dimensions that tell the step's calls apart. */
const LABELS = {
  denseForward: (a) => `denseForward ${a[0]}×${a[2]}·${a[2]}×${a[1]}`,
  gemmTN: (a) => `gemmTN dW ${a[0]}×${a[2]}·${a[2]}×${a[1]}`,
  gemmNT: (a) => `gemmNT dX ${a[0]}×${a[2]}·${a[2]}×${a[1]}`,
  gemmNN: (a) => `gemmNN ${a[0]}×${a[2]}·${a[2]}×${a[1]}`,
  activationBackward: (a) => `activationBackward ${a[1]}×${a[2]}`,
  columnSums: (a) => `columnSums db ${a[0]}×${a[1]}`,
  adamUpdate: (a) => `adamUpdate ${a[5]}`,
};
const GROUPS = [
  ["forward GEMM (+ bias, activation)", /^denseForward/],
  ["dW = Xᵀ·dY (gemmTN)", /^gemmTN/],
  ["dX = dY·Wᵀ (gemmNT)", /^gemmNT/],
  ["activation backward", /^activationBackward/],
  ["bias gradient (columnSums)", /^columnSums/],
  ["loss + softmax gradient", /^(lossForward|softmaxCrossEntropyBackward|lossBackward)/],
  ["optimizer (Adam)", /^adamUpdate/],
  ["other kernels", /./],
];

/**
 * The memory an update kernel reads and overwrites, per call: [pointer, floats] (adamUpdate: grad, m, v, vhat
 * when AMSGrad, and param), which the recording copies before the call, so that the call can be replayed on its
 * own inputs.
 */
const UPDATED_STATE = {
  // NOTE: the weights last: restored in this order, they are the freshest in cache, as the next step finds them.
  adamUpdate: (a) => [[a[1], a[5]], [a[2], a[5]], [a[3], a[5]], ...(a[4] ? [[a[4], a[5]]] : []), [a[0], a[5]]],
};
const copyState = (name, args) =>
  (UPDATED_STATE[name]?.(args) ?? []).map(([ptr, floats]) => ({
    ptr,
    copy: engine.f32.slice(ptr >>> 2, (ptr >>> 2) + floats),
  }));

function wrapKernels(totals, recording) {
  const wrapped = {};
  for (const [name, value] of Object.entries(plainKernels)) {
    if (typeof value !== "function") {
      wrapped[name] = value;
      continue;
    }
    const label = LABELS[name] ?? (() => name);
    wrapped[name] = (...args) => {
      const state = recording && UPDATED_STATE[name] ? copyState(name, args) : null;
      const start = now();
      const result = value(...args);
      const elapsed = now() - start;
      const key = label(args);
      const entry = totals.get(key) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += elapsed;
      totals.set(key, entry);
      recording?.push({ name, key, args, state });
      return result;
    };
  }
  return wrapped;
}

// What one timer costs, so that it can be told apart from kernel time: a wrapped no-op kernel.
function timerCost() {
  const totals = new Map();
  const probe = wrapKernels(totals, null).heapBase;
  const calls = 20000;
  for (let i = 0; i < calls; i++) probe();
  const start = now();
  for (let i = 0; i < calls; i++) probe();
  return (now() - start) / calls;
}

// ---- 1 + 2: plain and wrapped epochs, interleaved ----
await fitEpoch(); // warm-up (JIT, buffers, optimizer slots)
const plainSteps = [];
const perKey = new Map(); // key → per-round µs per step
const callsPerStep = new Map();
let oneStep = null;
for (let round = 0; round < ROUNDS; round++) {
  plainSteps.push(await fitEpoch());
  const totals = new Map();
  engine.kernels = wrapKernels(totals, null);
  try {
    await fitEpoch();
  } finally {
    engine.kernels = plainKernels;
  }
  for (const [key, { calls, ms }] of totals) {
    if (!perKey.has(key)) perKey.set(key, []);
    perKey.get(key).push((ms / STEPS) * 1000);
    callsPerStep.set(key, calls / STEPS);
  }
}
const stepMicros = median(plainSteps) * 1000; // CPU µs
{
  // NOTE: recorded in an epoch of its own: its copies of the update's state (see UPDATED_STATE) would slow the
  // timed epochs above.
  const recording = [];
  engine.kernels = wrapKernels(new Map(), recording);
  try {
    await fitEpoch();
  } finally {
    engine.kernels = plainKernels;
  }
  oneStep = recording.slice(recording.length - recording.length / STEPS); // the epoch's last step: the steady state
}

// ---- 3 + 4: kernels alone ----
/** µs of CPU time per run(), over a block of at least `minMs`. */
function timeRepeated(run, minMs = 4) {
  let reps = 1;
  for (;;) {
    const start = cpuNow();
    for (let r = 0; r < reps; r++) run();
    const elapsed = cpuNow() - start;
    if (elapsed >= minMs) return (elapsed / reps) * 1000;
    reps *= 2;
  }
}

/** What the recorded step's update calls read and overwrite, as they found it. */
const savedState = oneStep.flatMap(({ state }) => state ?? []);
const restoreState = () => {
  for (const { ptr, copy } of savedState) engine.f32.set(copy, ptr >>> 2);
};
/**
 * µs of CPU time of one run() on the restored state: blocks of restore + run() less blocks of the restore alone
 * (timeRepeated both). NOTE: CPU time, as everywhere here, so that waits for a core on this shared machine do
 * not count; and in blocks, with the restore's own time taken off, rather than one call at a time.
 */
function timeOnRestored(run, minMs = 4) {
  const restoreAlone = timeRepeated(restoreState, minMs);
  const restoreAndRun = timeRepeated(() => {
    restoreState();
    run();
  }, minMs);
  return Math.max(0, restoreAndRun - restoreAlone);
}

const replayStep = () => {
  for (const { name, args } of oneStep) plainKernels[name](...args);
};
const replay = [];
for (let round = 0; round < ROUNDS * 3; round++) replay.push(timeOnRestored(replayStep));
const replayMicros = median(replay);

/** The step's GEMMs as plain GEMM calls: forward X·W (denseForward's product part) as gemmNN. */
const gemmCalls = oneStep
  .filter(({ name }) => name === "denseForward" || name === "gemmTN" || name === "gemmNT")
  .map(({ name, args }) => {
    const [m, n, k] = args;
    if (name === "denseForward") {
      return {
        label: `gemmNN fwd ${m}×${k}·${k}×${n}`,
        form: "NN",
        m,
        n,
        k,
        run: () => plainKernels.gemmNN(m, n, k, args[3], args[4], args[6], 0),
      };
    }
    const label = name === "gemmTN" ? `gemmTN dW ${m}×${k}·${k}×${n}` : `gemmNT dX ${m}×${k}·${k}×${n}`;
    return { label, form: name.slice(4), m, n, k, run: () => plainKernels[name](...args) };
  });
for (const call of gemmCalls) {
  call.flop = 2 * call.m * call.n * call.k;
  const times = [];
  for (let round = 0; round < ROUNDS * 3; round++) times.push(timeRepeated(call.run));
  call.micros = median(times);
}
const gemmFlop = gemmCalls.reduce((sum, call) => sum + call.flop, 0);
const gemmAloneMicros = gemmCalls.reduce((sum, call) => sum + call.micros, 0);
const forwardShape = gemmCalls.find((call) => call.form === "NN" && call.k === 784);

// ---- 5: packing, on a separate build of assembly/gemm-pack.ts ----
async function packingEstimate() {
  const source = readFileSync(new URL("../assembly/gemm-pack.ts", import.meta.url), "utf8");
  const { binary, stderr, error } = await asc.compileString(
    {
      "profile.ts": 'export { packRows, packColumns, packPairs } from "./gemm-pack";\nexport { memory };',
      "gemm-pack.ts": source,
    },
    { optimizeLevel: 3, shrinkLevel: 1, noAssert: true, runtime: "stub", enable: ["simd"], use: ["abort="] },
  );
  if (error || !binary) throw new Error(`gemm-pack.ts did not compile: ${error?.message ?? stderr.toString()}`);
  const { instance } = await WebAssembly.instantiate(binary, {});
  const pack = instance.exports;
  pack.memory.grow(64); // 4 MiB: room for the largest operand and a strip
  const src = 65536,
    dst = 65536 + 3 * 1024 * 1024;
  return gemmCalls.map(({ label, form, m, n, k }) => {
    // The packing calls gemm.ts makes for this shape (one depth block and one row block for all of them).
    const run = () => {
      if (form === "TN")
        for (let i = 0; i < m; i += 2)
          pack.packPairs(k, src + i * 4, m * 4, Math.min(2, m - i), dst + (i >> 1) * k * 8);
      for (let j = 0; j < n; j += 16) {
        const cols = Math.min(16, n - j);
        if (form === "NT") pack.packColumns(k, src + j * k * 4, k * 4, cols, dst);
        else pack.packRows(k, src + j * 4, n * 4, cols, dst);
      }
    };
    const times = [];
    for (let round = 0; round < ROUNDS * 3; round++) times.push(timeRepeated(run));
    return { label, micros: median(times) };
  });
}
const packing = await packingEstimate();

// Each call of the step alone, CPU-timed (the in-fit figures above are wall-clock, so they include waits).
const aloneByKey = new Map();
for (const { name, key, args } of oneStep) {
  const times = [];
  const run = () => plainKernels[name](...args);
  for (let round = 0; round < ROUNDS; round++)
    times.push(UPDATED_STATE[name] ? timeOnRestored(run, 2) : timeRepeated(run, 2));
  aloneByKey.set(key, (aloneByKey.get(key) ?? 0) + median(times));
}
restoreState();

// ---- report ----
const timer = timerCost() * 1000;
const rows = [];
const groupOf = (key) => GROUPS.find(([, pattern]) => pattern.test(key))[0];
let kernelSum = 0;
const keys = [...perKey.keys()].sort(
  (a, b) => GROUPS.findIndex(([g]) => g === groupOf(a)) - GROUPS.findIndex(([g]) => g === groupOf(b)),
);
for (const key of keys) {
  const inFit = Math.max(0, median(perKey.get(key)) - timer * callsPerStep.get(key));
  const alone = aloneByKey.get(key) ?? 0;
  kernelSum += alone;
  rows.push([
    groupOf(key),
    key,
    callsPerStep.get(key).toFixed(0),
    inFit.toFixed(1),
    alone.toFixed(1),
    `${((alone / stepMicros) * 100).toFixed(1)} %`,
  ]);
}
const jsMicros = stepMicros - replayMicros;
rows.push([
  "JavaScript",
  "fit step − kernels alone (step 3)",
  "",
  "",
  jsMicros.toFixed(1),
  `${((jsMicros / stepMicros) * 100).toFixed(1)} %`,
]);

function table(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => String(row[i]).length)));
  const line = (cells) =>
    cells.map((cell, i) => (i < 2 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of body) console.log(line(row));
}

const gflops = (flop, micros) => (flop / micros / 1000).toFixed(1);
console.log(
  `densa training step, MLP 784-128-64-10, batch ${BATCH}, Adam — Node ${process.version}; ` +
    `${ROUNDS} rounds, medians; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}\n`,
);
console.log(
  `fit step ${stepMicros.toFixed(1)} µs of CPU (${((BATCH / stepMicros) * 1e6).toFixed(0)} samples/s); ` +
    `kernels alone ${replayMicros.toFixed(1)} µs; timer cost ${(timer * 1000).toFixed(0)} ns a call (subtracted)\n`,
);
table(["part", "call", "calls/step", "in fit µs (wall)", "alone µs (CPU)", "of step"], rows);
console.log(
  `  (the calls alone add up to ${kernelSum.toFixed(1)} µs; replayed back to back, ${replayMicros.toFixed(1)} µs)\n`,
);
table(
  ["GEMM of the step, alone", "form", "µs", "GFLOP/s", "of which packing µs"],
  gemmCalls.map((call, i) => [
    call.label,
    call.form,
    call.micros.toFixed(1),
    gflops(call.flop, call.micros),
    packing[i].micros.toFixed(1),
  ]),
);
const stepRate = gemmFlop / stepMicros / 1000;
const aloneRate = gemmFlop / gemmAloneMicros / 1000;
console.log(
  `\nGEMM FLOPs a step: ${(gemmFlop / 1e6).toFixed(2)} M; the step runs them at ${stepRate.toFixed(1)} GFLOP/s, ` +
    `the GEMM kernel alone on the same shapes at ${aloneRate.toFixed(1)} GFLOP/s`,
);
console.log(
  `step / GEMM kernel = ${((stepRate / aloneRate) * 100).toFixed(1)} %   ` +
    `(against the forward shape's ${gflops(forwardShape.flop, forwardShape.micros)} GFLOP/s alone: ` +
    `${((stepRate / (forwardShape.flop / forwardShape.micros / 1000)) * 100).toFixed(1)} %)`,
);
// NOTE: Adam's cost depends on the training's phase, so say where it is: the moments of weights whose gradient
// stays exactly 0 (dead ReLU units, always-zero inputs) decay into the subnormal range after ~600 steps of this
// model, and divisions and multiplies on subnormal numbers are several times slower on x86 (Adam ~60 µs a step
// before, ~130–260 µs after). The recorded update's own gradient and first moment tell.
const adamState = oneStep.find(({ name }) => name === "adamUpdate")?.state;
const subnormalMoments = (() => {
  if (!adamState) return null;
  const [grads, moments] = adamState.map(({ copy }) => copy);
  let subnormal = 0,
    zeroGrads = 0;
  for (let i = 0; i < moments.length; i++) {
    const magnitude = Math.abs(moments[i]);
    if (magnitude !== 0 && magnitude < 2 ** -126) subnormal++;
    if (grads[i] === 0) zeroGrads++;
  }
  return { subnormal: subnormal / moments.length, zeroGrads: zeroGrads / moments.length };
})();
if (subnormalMoments) {
  console.log(
    `Adam at step ${oneStep.find(({ name }) => name === "adamUpdate").args[10]}: ` +
      `${(subnormalMoments.zeroGrads * 100).toFixed(0)} % of the gradients exactly 0, ` +
      `${(subnormalMoments.subnormal * 100).toFixed(0)} % of the first moments subnormal`,
  );
}
if (argv.includes("--json")) {
  console.log(
    JSON.stringify({
      stepMicros,
      replayMicros,
      javascriptMicros: jsMicros,
      gemmFlop,
      gemmAloneMicros,
      stepGflops: stepRate,
      gemmGflops: aloneRate,
      ratio: stepRate / aloneRate,
      adamSubnormalMoments: subnormalMoments?.subnormal ?? null,
      adamMicros: keys
        .filter((key) => /^adamUpdate/.test(key))
        .reduce((sum, key) => sum + (aloneByKey.get(key) ?? 0), 0),
    }),
  );
}
model.dispose();
