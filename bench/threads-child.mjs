// One measured configuration of bench/threads.mjs, in a process of its own (the thread count and kernel build
// are per process): `node bench/threads-child.mjs <internals.mjs> <threads> <relaxed 0|1> <batch,…>` prints one
// line of JSON: training samples/s per batch size (bench model 784-128-64-10, Adam), predict(256) ms, and
// GEMM GFLOP/s on the bench model's forward shape and on 256³.
import { pathToFileURL } from "node:url";

const [internalsFile, threadsArgument, relaxedArgument, batchesArgument] = process.argv.slice(2);
// NOTE: the library bundled from ts/ with its kernel bindings exposed (bench/threads-internals.ts), one engine.
const densa = await import(pathToFileURL(internalsFile).href);
const info = await densa.init({ threads: Number(threadsArgument), relaxedSimd: relaxedArgument === "1" });

const SAMPLES = 4096;
const x = densa.tensor(Float32Array.from({ length: SAMPLES * 784 }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5), [SAMPLES, 784]);
const y = Array.from({ length: SAMPLES }, (_, i) => (i * 31) % 10);
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

densa.setRandomSeed(1);
const model = new densa.Sequential([
  new densa.layers.Dense(128, { activation: "relu", inputShape: [784] }),
  new densa.layers.Dense(64, { activation: "relu" }),
  new densa.layers.Dense(10, { activation: "softmax" }),
]);
model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy" });
const training = {};
for (const batchSize of batchesArgument.split(",").map(Number)) {
  await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 }); // warm-up
  const rates = [];
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
    rates.push(SAMPLES / ((performance.now() - start) / 1000));
  }
  training[batchSize] = Math.round(median(rates));
}
const x256 = densa.tensor(x.data.subarray(0, 256 * 784), [256, 784]);
const predictTimes = [];
for (let r = 0; r < 40; r++) {
  const start = performance.now();
  model.predict(x256, { batchSize: 256 });
  predictTimes.push(performance.now() - start);
}
model.dispose();

/** GFLOP/s of C = A·B (m×k · k×n) through the engine's gemmNN binding (split over the pool when large). */
function gemmRate(m, n, k) {
  const engine = densa.getEngine();
  const [a, b, c] = [engine.allocF32(m * k), engine.allocF32(k * n), engine.allocF32(m * n)];
  engine.write(a, Float32Array.from({ length: m * k }, (_, i) => (i % 17) / 17));
  engine.write(b, Float32Array.from({ length: k * n }, (_, i) => (i % 13) / 13));
  let reps = 1;
  for (let t = performance.now(); performance.now() - t < 20; reps *= 2) for (let r = 0; r < reps; r++) engine.kernels.gemmNN(m, n, k, a, b, c, 0);
  const rates = [];
  for (let round = 0; round < 7; round++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) engine.kernels.gemmNN(m, n, k, a, b, c, 0);
    rates.push((2 * m * n * k * reps) / ((performance.now() - start) / 1000) / 1e9);
  }
  for (const ptr of [a, b, c]) engine.free(ptr);
  return +median(rates).toFixed(1);
}
const gemm = { "32x128x784": gemmRate(32, 128, 784), "256x256x256": gemmRate(256, 256, 256) };
console.log(JSON.stringify({ threads: info.threads, relaxedSimd: info.relaxedSimd, training, predict256Ms: +median(predictTimes).toFixed(3), gemm }));
process.exit(0);
