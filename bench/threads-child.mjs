// The measuring process of bench/threads.mjs: `node bench/threads-child.mjs <internals.mjs> <rounds> <config,…>
// <batch,…>` with configs like "1", "2", "1r", "2r" (threads, r = relaxed SIMD). All configurations run in this
// one process, alternating round by round (init switches the kernel build or the pool between them), so a busy
// moment of a shared machine hits all of them alike. Prints one JSON line: per configuration, per round,
// training samples/s per batch size (bench model 784-128-64-10, Adam), predict(256) ms and GEMM GFLOP/s.
// NOTE: "1" here is the threaded build with its pool stopped when a threaded configuration is measured too (the
// same kernel code as the default build, on shared memory); the parent also measures the default build alone.
import { pathToFileURL } from "node:url";

const [internalsFile, roundsArgument, configsArgument, batchesArgument] = process.argv.slice(2);
// NOTE: the library bundled from ts/ with its kernel bindings exposed (bench/threads-internals.ts), one engine.
const densa = await import(pathToFileURL(internalsFile).href);
const configs = configsArgument
  .split(",")
  .map((text) => ({ name: text, threads: Number.parseInt(text, 10), relaxed: text.endsWith("r") }));
const batches = batchesArgument.split(",").map(Number);
const SAMPLES = 4096;
const data = Float32Array.from({ length: SAMPLES * 784 }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
const labels = Array.from({ length: SAMPLES }, (_, i) => (i * 31) % 10);

function measureModel() {
  const x = densa.tensor(data, [SAMPLES, 784]);
  densa.setRandomSeed(1);
  const model = new densa.Sequential([
    new densa.layers.Dense(128, { activation: "relu", inputShape: [784] }),
    new densa.layers.Dense(64, { activation: "relu" }),
    new densa.layers.Dense(10, { activation: "softmax" }),
  ]);
  model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy" });
  return { x, model };
}

async function measure() {
  const { x, model } = measureModel();
  const training = {},
    trainingFastest = {},
    trainingPerCpu = {},
    workerPartsPerStep = {},
    backoffs = {};
  const workerParts = () => densa.currentKernelVariant()?.workerParts ?? 0;
  const poolBackoffs = () => densa.currentKernelVariant()?.poolStats?.backoffs ?? 0;
  for (const batchSize of batches) {
    await model.fit(x, labels, { epochs: 1, batchSize, verbose: 0 }); // warm-up
    const stepStarts = startsOfSteps();
    const start = performance.now(),
      cpuStart = process.cpuUsage(),
      partsBefore = workerParts(),
      backoffsBefore = poolBackoffs();
    await model.fit(x, labels, { epochs: 1, batchSize, verbose: 0 });
    const cpu = process.cpuUsage(cpuStart);
    const steps = stepStarts.stop();
    // NOTE: the fastest tenth of the steps: on a machine shared with other work, what a step costs when the
    // threads had their cores (the epoch's rate above also counts the time the scheduler gave to others).
    trainingFastest[batchSize] = Math.round(batchSize / (steps[Math.floor(steps.length / 10)] / 1000));
    // How many kernel parts per training step the worker ran (the calling thread took the rest).
    workerPartsPerStep[batchSize] = +((workerParts() - partsBefore) / Math.ceil(SAMPLES / batchSize)).toFixed(2);
    // Times the pool left kernels to the calling thread because its workers did not keep up (thread-pool.ts).
    backoffs[batchSize] = poolBackoffs() - backoffsBefore;
    training[batchSize] = Math.round(SAMPLES / ((performance.now() - start) / 1000));
    trainingPerCpu[batchSize] = Math.round(SAMPLES / ((cpu.user + cpu.system) / 1e6));
  }
  const x256 = densa.tensor(data.subarray(0, 256 * 784), [256, 784]);
  const times = [];
  for (let r = 0; r < 20; r++) {
    const start = performance.now();
    model.predict(x256, { batchSize: 256 });
    times.push(performance.now() - start);
  }
  model.dispose();
  times.sort((a, b) => a - b);
  return {
    training,
    trainingFastest,
    trainingPerCpu,
    workerPartsPerStep,
    backoffs,
    predict256Ms: +times[times.length >> 1].toFixed(3),
    gemm: { "32x128x784": gemmRate(32, 128, 784), "256x256x256": gemmRate(256, 256, 256) },
  };
}

/**
 * Records when each training step starts (the first layer's forward, 784 inputs) until stop(), which returns
 * the steps' wall times in ms, sorted.
 */
function startsOfSteps() {
  const engine = densa.getEngine();
  const forward = engine.kernels.denseForward;
  const starts = [];
  engine.kernels = {
    ...engine.kernels,
    denseForward: (...args) => {
      if (args[2] === 784) starts.push(performance.now());
      return forward(...args);
    },
  };
  return {
    stop() {
      engine.kernels = { ...engine.kernels, denseForward: forward };
      return starts
        .slice(1)
        .map((time, i) => time - starts[i])
        .sort((a, b) => a - b);
    },
  };
}

/** GFLOP/s of C = A·B (m×k · k×n) through the engine's gemmNN binding (split over the pool when large). */
function gemmRate(m, n, k) {
  const engine = densa.getEngine();
  const [a, b, c] = [engine.allocF32(m * k), engine.allocF32(k * n), engine.allocF32(m * n)];
  engine.write(
    a,
    Float32Array.from({ length: m * k }, (_, i) => (i % 17) / 17),
  );
  engine.write(
    b,
    Float32Array.from({ length: k * n }, (_, i) => (i % 13) / 13),
  );
  let reps = 1;
  for (let t = performance.now(); performance.now() - t < 10; reps *= 2)
    for (let r = 0; r < reps; r++) engine.kernels.gemmNN(m, n, k, a, b, c, 0);
  const rates = [],
    cpuRates = [];
  for (let round = 0; round < 5; round++) {
    const start = performance.now(),
      cpuStart = process.cpuUsage();
    for (let r = 0; r < reps; r++) engine.kernels.gemmNN(m, n, k, a, b, c, 0);
    const cpu = process.cpuUsage(cpuStart);
    rates.push((2 * m * n * k * reps) / ((performance.now() - start) / 1000) / 1e9);
    cpuRates.push((2 * m * n * k * reps) / ((cpu.user + cpu.system) / 1e6) / 1e9);
  }
  for (const ptr of [a, b, c]) engine.free(ptr);
  rates.sort((x, y) => x - y);
  cpuRates.sort((x, y) => x - y);
  // NOTE: per CPU-second too: on a machine shared with other work, wall time measures the share the scheduler
  // gave us as much as the kernel; CPU time does not (for one thread; with more it sums their time).
  return { wall: +rates[2].toFixed(1), cpu: +cpuRates[2].toFixed(1) };
}

const results = configs.map((config) => ({ ...config, given: undefined, runs: [] }));
for (let round = 0; round < Number(roundsArgument); round++) {
  for (const result of results) {
    const info = await densa.init({ threads: result.threads, relaxedSimd: result.relaxed });
    result.given = { threads: info.threads, relaxedSimd: info.relaxedSimd };
    result.runs.push(await measure());
  }
}
console.log(JSON.stringify(results));
process.exit(0);
