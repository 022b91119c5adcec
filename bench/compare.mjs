// Before / after in one process: two checkouts of densa (each bundled from its ts/ with its own build/), timed
// interleaved on the bench model — a fit epoch's step (CPU time) and predict on one sample (wall clock, each
// call timed alone) or on a batch (CPU time of a block of calls).
//
//   node bench/compare.mjs /path/to/other/checkout [/path/to/after] [--rounds=9] [--batch=32] [--predict-batch=1]
//
// The other checkout needs its own `npm run build` output in build/ (for example a copy of the tree before a
// change: cp -r ts build examples package.json /tmp/before && ln -s $PWD/node_modules /tmp/before/).
// Prints medians per version and after ÷ before.
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { importDensaSource } from "./densa-source.mjs";
import { median } from "./measure.mjs";
import { syntheticClassification } from "./synthetic.mjs";

const argv = process.argv.slice(2);
const [other, afterRoot = fileURLToPath(new URL("..", import.meta.url))] = argv.filter((arg) => !arg.startsWith("--"));
const option = (name, fallback) => Number(argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
if (!other) throw new Error("compare: give the other checkout's root, e.g. node bench/compare.mjs /tmp/before");
const roundsArg = argv.find((arg) => arg.startsWith("--rounds="));
const ROUNDS = roundsArg ? Number(roundsArg.slice(9)) : 9;
const SAMPLES = 4096,
  BATCH = option("batch", 32),
  STEPS = SAMPLES / BATCH,
  PREDICT_BATCH = option("predict-batch", 1);
const SINGLE_CALLS = PREDICT_BATCH === 1 ? 400 : 40;
const data = syntheticClassification({ count: SAMPLES, features: 784, classes: 10, seed: 1 });
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function setUp(label, root) {
  const densa = await importDensaSource(root);
  await densa.init();
  densa.setRandomSeed(1);
  const model = new densa.Sequential([
    new densa.layers.Dense(128, { activation: "relu", inputShape: [784] }),
    new densa.layers.Dense(64, { activation: "relu" }),
    new densa.layers.Dense(10, { activation: "softmax" }),
  ]);
  model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
  const x = densa.tensor(data.x, [SAMPLES, 784]),
    y = densa.tensor(data.y, [SAMPLES, 10]);
  const fitStep = async () => {
    const start = cpuNow();
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
    return ((cpuNow() - start) / STEPS) * 1000;
  };
  let cursor = 0;
  const predictOne = () => {
    const row = (cursor++ * PREDICT_BATCH) % (SAMPLES - PREDICT_BATCH + 1);
    const input = data.x.subarray(row * 784, (row + PREDICT_BATCH) * 784);
    const start = performance.now();
    model.predict(densa.tensor(input, [PREDICT_BATCH, 784]), { batchSize: PREDICT_BATCH }).data;
    return (performance.now() - start) * 1000;
  };
  return { label, root, fitStep, predictOne, step: [], single: [] };
}

const versions = [await setUp("before", other), await setUp("after", afterRoot)];
for (const version of versions) {
  await version.fitStep();
  for (let i = 0; i < 200; i++) version.predictOne();
}
for (let round = 0; round < ROUNDS; round++) {
  for (const version of round % 2 ? [...versions].reverse() : versions) {
    version.step.push(await version.fitStep());
    if (PREDICT_BATCH === 1) {
      for (let i = 0; i < SINGLE_CALLS; i++) version.single.push(version.predictOne());
    } else {
      // NOTE: a batch takes long enough to be preempted on a busy machine: CPU time of the whole block instead.
      const start = cpuNow();
      for (let i = 0; i < SINGLE_CALLS; i++) version.predictOne();
      version.single.push(((cpuNow() - start) / SINGLE_CALLS) * 1000);
    }
  }
}
console.log(
  `${ROUNDS} interleaved rounds; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
const [before, after] = versions.map((v) => ({ label: v.label, step: median(v.step), single: median(v.single) }));
for (const v of [before, after]) {
  console.log(
    `${v.label.padEnd(6)}  fit step (batch ${BATCH}) ${v.step.toFixed(1)} µs CPU (${((BATCH / v.step) * 1e6).toFixed(0)} samples/s)   ` +
      `predict(${PREDICT_BATCH}) ${v.single.toFixed(2)} µs`,
  );
}
console.log(
  `after ÷ before: fit step ${(after.step / before.step).toFixed(3)}, predict(${PREDICT_BATCH}) ${(after.single / before.single).toFixed(3)}`,
);
