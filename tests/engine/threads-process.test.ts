// Threads and relaxed SIMD in fresh Node processes, through the built package (dist/, `npm run build`):
// a script that started a pool ends on its own (the workers are unref'd), in ESM and CJS; and with
// --experimental-wasm-relaxed-simd (Node 20 needs it) the relaxed kernels agree with the default ones to 1e-5.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const esm = fileURLToPath(new URL("../../dist/densa.js", import.meta.url));
const cjs = fileURLToPath(new URL("../../dist/densa.cjs", import.meta.url));
const built = existsSync(esm) && existsSync(cjs);
if (!built) console.warn("threads-process tests skipped: dist/ is missing (run `npm run build`)");

/** Runs `source` in a new node process; a process that does not end within 60 s fails the test. */
function runNode(args: string[], source: string) {
  const result = spawnSync(process.execPath, [...args, source], { encoding: "utf8", timeout: 60_000 });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Trains a seeded 784-64-10 model one epoch on 256 samples and prints one line of JSON; nothing else keeps it alive. */
const trainingScript = (load: string, options: string) => `${load}
const { init, Sequential, layers, tensor, setRandomSeed } = densa;
const info = await init(${options});
setRandomSeed(3);
const model = new Sequential([new layers.Dense(64, { activation: "relu", inputShape: [784] }), new layers.Dense(10, { activation: "softmax" })]);
model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy" });
const x = tensor(Float32Array.from({ length: 256 * 784 }, (_, i) => ((i * 7) % 13) / 13 - 0.5), [256, 784]);
await model.fit(x, Array.from({ length: 256 }, (_, i) => i % 10), { epochs: 1, batchSize: 32, verbose: 0 });
console.log(JSON.stringify({ ...info, threadsProperty: densa.threads }));`;

describe.skipIf(!built)("a script with threads", () => {
  it("ends by itself once its work is done (ESM)", () => {
    const run = runNode(
      ["--input-type=module", "-e"],
      trainingScript(`import * as densa from ${JSON.stringify(esm)};`, "{ threads: 2 }"),
    );
    expect(run.stderr).toBe("");
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 0, signal: null });
    expect(JSON.parse(run.stdout)).toEqual({ threads: 2, relaxedSimd: false, threadsProperty: 2 });
  });

  it("ends by itself once its work is done (CommonJS)", () => {
    const run = runNode(
      ["-e"],
      `(async () => { ${trainingScript(`const densa = require(${JSON.stringify(cjs)});`, "{ threads: 3 }")} })();`,
    );
    expect(run.stderr).toBe("");
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 0, signal: null });
    expect(JSON.parse(run.stdout)).toEqual({ threads: 3, relaxedSimd: false, threadsProperty: 3 });
  });
});

/**
 * Predictions and one training step of a seeded 784-128-10 model on the default kernels, then on the relaxed
 * ones (one thread, then three), printed as the largest difference relative to the largest magnitude.
 */
const relaxedScript = `import * as densa from ${JSON.stringify(esm)};
const { init, Sequential, layers, tensor, setRandomSeed } = densa;
const x = tensor(Float32Array.from({ length: 96 * 784 }, (_, i) => ((i * 7) % 13) / 13 - 0.5), [96, 784]);
const y = Array.from({ length: 96 }, (_, i) => i % 10);
async function run() {
  setRandomSeed(11);
  const model = new Sequential([new layers.Dense(128, { activation: "relu", inputShape: [784] }), new layers.Dense(10, { activation: "softmax" })]);
  model.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy" });
  const predicted = model.predict(x).data;
  await model.trainOnBatch(x, y);
  const weights = model.getWeights().map((w) => w.data);
  model.dispose();
  return [predicted, ...weights];
}
function relativeDifference(a, b) {
  let difference = 0, scale = 0;
  a.forEach((values, t) => values.forEach((v, i) => { difference = Math.max(difference, Math.abs(v - b[t][i])); scale = Math.max(scale, Math.abs(v)); }));
  return difference / scale;
}
const identical = (a, b) => a.every((values, t) => values.every((v, i) => Object.is(v, b[t][i])));
await init();
const reference = await run();
const one = await init({ relaxedSimd: true });
const relaxed = await run();
const three = await init({ threads: 3 });
const relaxedThreads = await run();
console.log(JSON.stringify({ one, three, difference: relativeDifference(reference, relaxed), sameBits: identical(reference, relaxed), threadsSameAsOne: identical(relaxed, relaxedThreads) }));`;

describe.skipIf(!built)("relaxed SIMD", () => {
  it("is used with --experimental-wasm-relaxed-simd and agrees with the default kernels to 1e-5", () => {
    const run = runNode(["--experimental-wasm-relaxed-simd", "--input-type=module", "-e"], relaxedScript);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout);
    expect(report.one).toEqual({ threads: 1, relaxedSimd: true });
    expect(report.three).toEqual({ threads: 3, relaxedSimd: true });
    expect(report.difference).toBeLessThan(1e-5);
    expect(report.threadsSameAsOne).toBe(true); // the same FMA kernel per element, whatever the thread count
    console.log(`relaxed vs default: ${report.difference.toExponential(2)} relative, same bits: ${report.sameBits}`);
  });

  it("falls back to the default kernels, with a note, where the runtime does not validate it", () => {
    const run = runNode(
      ["--input-type=module", "-e"],
      `import { init } from ${JSON.stringify(esm)};
console.log(JSON.stringify(await init({ relaxedSimd: true })));`,
    );
    expect(JSON.parse(run.stdout)).toEqual({
      threads: 1,
      relaxedSimd: false,
      note: "no relaxed SIMD: this runtime does not validate relaxed-SIMD WebAssembly",
    });
  });
});
