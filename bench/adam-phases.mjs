// Adam's cost per training phase, and a before / after check of its bits: the bench model (784-128-64-10, batch
// 32, Adam, random labels) is trained epoch by epoch; at the given epochs the state of the last step's adamUpdate
// call (weights, gradients, moments) is copied, and each build's adamUpdate then runs on fresh copies of it.
//
//   node bench/adam-phases.mjs [--epochs=2,6,8,14] [--rounds=80] [/other/checkout ...]
//
// Why: the first moments of weights whose gradient stays exactly 0 (87 % of this model's after a few epochs:
// dead ReLU units, always-zero inputs) decay by 0.9 a step; before the kernel flushed them to 0 below a threshold
// (assembly/optimizers-adam-flush.ts) they went through the subnormal range (around epochs 6–13 here), where
// x86 multiplies several times slower, and Adam took 120–160 µs a call there against ~60 µs. Adam's time
// depended on the phase, so a change to it has to be measured in each. Builds: this checkout's
// build/densa.wasm and each other checkout's, instantiated directly (a kernel change needs `npm run build`, or `npx asc assembly/index.ts --target release`).
// The figures are µs a call, min and median over rounds (interleaved); "bits differ" marks outputs unlike the
// first build's. The states come from training with this checkout's sources (a build without the flush given
// as another checkout runs on flushed moments here: compare runs of each checkout's own bench for its phases).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { importDensaSource } from "./densa-source.mjs";
import { syntheticClassification } from "./synthetic.mjs";

const argv = process.argv.slice(2);
const option = (name, fallback) => argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const EPOCHS = option("epochs", "2,6,8,14").split(",").map(Number);
const ROUNDS = Number(option("rounds", 80));
const here = fileURLToPath(new URL("..", import.meta.url));
const roots = [here, ...argv.filter((arg) => !arg.startsWith("--"))];

// ---- the states: one model trained epoch by epoch, the last adamUpdate call of each chosen epoch copied ----
const densa = await importDensaSource(here);
await densa.init();
densa.setRandomSeed(1);
const engine = densa.getEngine();
const kernels = engine.kernels;
const model = new densa.Sequential([
  new densa.layers.Dense(128, { activation: "relu", inputShape: [784] }),
  new densa.layers.Dense(64, { activation: "relu" }),
  new densa.layers.Dense(10, { activation: "softmax" }),
]);
model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
const data = syntheticClassification({ count: 4096, features: 784, classes: 10, seed: 1 });
const x = densa.tensor(data.x, [4096, 784]),
  y = densa.tensor(data.y, [4096, 10]);
let lastCall = null;
engine.kernels = {
  ...kernels,
  adamUpdate: (...args) => {
    // param, grad, m, v (vhat is 0: no AMSGrad here)
    const copies = [0, 1, 2, 3].map((k) => engine.f32.slice(args[k] >>> 2, (args[k] >>> 2) + args[5]));
    lastCall = { args, copies };
    return kernels.adamUpdate(...args);
  },
};
const states = [];
for (let epoch = 1; epoch <= Math.max(...EPOCHS); epoch++) {
  await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
  if (EPOCHS.includes(epoch)) states.push({ epoch, ...lastCall });
}
engine.kernels = kernels;
model.dispose();

// ---- the builds, each with room for four arrays at 64-byte aligned offsets ----
const builds = await Promise.all(
  roots.map(async (root, index) => {
    const { instance } = await WebAssembly.instantiate(readFileSync(`${root}/build/densa.wasm`), {});
    const exports = instance.exports;
    const pages = exports.memory.buffer.byteLength / 65536;
    exports.memory.grow(Math.max(0, 160 - pages));
    return { label: index === 0 ? "this" : `other ${index}`, root, exports };
  }),
);

const BASE = 1 << 20;
const describeState = (copies) => {
  const [, grads, moments] = copies;
  let zeroGrads = 0,
    subnormal = 0;
  for (let i = 0; i < moments.length; i++) {
    if (grads[i] === 0) zeroGrads++;
    const magnitude = Math.abs(moments[i]);
    if (magnitude !== 0 && magnitude < 2 ** -126) subnormal++;
  }
  return `${((zeroGrads / moments.length) * 100).toFixed(0)} % zero gradients, ${((subnormal / moments.length) * 100).toFixed(0)} % subnormal m`;
};
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * q)];

console.log(
  `adamUpdate on the bench model's Adam states, ${ROUNDS} rounds; load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(" ")}`,
);
for (const { label, root } of builds) console.log(`  ${label}: ${root}`);
for (const state of states) {
  const count = state.copies[0].length;
  const stride = (4 * count + 4096) & ~63;
  const pointers = [0, 1, 2, 3].map((k) => BASE + k * stride);
  const runs = builds.map((build) => ({ build, times: [], output: null }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const run of round % 2 ? [...runs].reverse() : runs) {
      const { exports } = run.build;
      const memory = new Float32Array(exports.memory.buffer);
      state.copies.forEach((copy, k) => memory.set(copy, pointers[k] >>> 2));
      const [, , , , , , learningRate, beta1, beta2, epsilon, step, , weightDecay] = state.args;
      const [param, grad, m, v] = pointers;
      const start = performance.now();
      exports.adamUpdate(param, grad, m, v, 0, count, learningRate, beta1, beta2, epsilon, step, 0, weightDecay);
      run.times.push((performance.now() - start) * 1000);
      run.output ??= [param, m, v].map((ptr) => new Uint32Array(exports.memory.buffer.slice(ptr, ptr + 4 * count)));
    }
  }
  const reference = runs[0].output;
  const cells = runs.map((run) => {
    const same = run.output.every((values, k) => values.every((bits, i) => bits === reference[k][i]));
    const name = run.build.label;
    return `${name} ${quantile(run.times, 0).toFixed(0)}/${quantile(run.times, 0.5).toFixed(0)}${same ? "" : " (bits differ!)"}`;
  });
  console.log(
    `epoch ${state.epoch} (step ${state.args[10]}; ${describeState(state.copies)}): ${cells.join(" | ")} µs min/median`,
  );
}
