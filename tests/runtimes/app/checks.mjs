// The app under test: the checks every runtime runs against the built package.
// It takes the package's namespace as an argument instead of importing "densa" itself, so the same file
// serves ESM entries (`import * as densa from "densa"`) and the CJS entry (`require("densa")`).
// To test more of the public API, add an entry to `checks`; every runtime picks it up.
// keras-fixtures.mjs is written by the harness (run-all.mjs) into the consumer's copy of this folder: the bytes of
// the Keras files in ../shared/fixtures/keras-files with their inputs and numpy reference outputs.
import { kerasFixtures } from "./keras-fixtures.mjs";

/**
 * Each check gets the densa namespace and returns what it computed; `expected` is what it must equal. A check
 * marked `sameInEveryRuntime` has no expected value: what it returns must be equal across all runtimes.
 */
export const checks = [
  {
    // The README's example, worked by hand: [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]].
    name: "matMul 2x2",
    run: ({ tensor, ops }) =>
      ops
        .matMul(
          tensor([
            [1, 2],
            [3, 4],
          ]),
          tensor([
            [5, 6],
            [7, 8],
          ]),
        )
        .toArray(),
    expected: () => [
      [19, 22],
      [43, 50],
    ],
    tolerance: 0,
  },
  {
    // Sizes that are not multiples of 4, so a SIMD main loop and its scalar tail both run.
    name: "matMul 5x3·3x7",
    run: ({ tensor, ops }) => ops.matMul(tensor(grid(5, 3, 1)), tensor(grid(3, 7, 2))).toArray(),
    expected: () => referenceMatMul(grid(5, 3, 1), grid(3, 7, 2)),
    tolerance: 1e-5,
  },
  {
    // Same bits everywhere: a seeded training run (initializers, dropout masks, shuffling, Adam, a cosine
    // learning-rate schedule) must leave bit-identical weights in every runtime. Each runtime reports a hash of
    // the weights' bytes; the harness (harness/report.mjs) fails the run when two runtimes disagree.
    name: "seeded training hash",
    run: seededTrainingHash,
    sameInEveryRuntime: true,
  },
  {
    // Real Keras files (.keras zips and legacy .h5) from their bytes: each that densa can run predicts the numpy
    // reference (1e-5 + 1e-4·|y|); each it cannot yet must be refused for a missing layer class or the Functional
    // API, nothing else. The list of statuses must be the same in every runtime.
    name: "Keras fixture files",
    run: openKerasFixtures,
    sameInEveryRuntime: true,
  },
  {
    // init({ threads: 2 }): two threads where the runtime can run them (Node, Deno, Bun, a cross-origin-isolated
    // page), one where it cannot (Cloudflare Workers, a page without COOP/COEP), never an error; and a seeded
    // run whose products are large enough to be split leaves the same weights as on one thread, then again after
    // init with another count (3, then 1: the pool restarts, then stops). Runs before relaxed SIMD, which ends
    // on threads too; after both the script must still end by itself (unref'd workers).
    name: "threads",
    run: threadedTraining,
    expected: () => {
      const counts = threadsPossible() ? [2, 3, 1] : [1, 1, 1];
      return { threads: counts, threadsProperty: counts, sameWeights: [true, true, true] };
    },
    tolerance: 0,
  },
  {
    // init({ relaxedSimd: true }): the FMA kernels where the runtime validates relaxed SIMD (Deno, Bun, Chromium;
    // Node 20 only with a flag; never Workers), predictions within 1e-5 of the default kernels' either way; and
    // relaxed SIMD on two threads gives the one-thread relaxed bits (the same FMA kernel for every element).
    name: "relaxed SIMD",
    run: relaxedPredictions,
    expected: () => ({
      relaxedSimd: relaxedSimdValid() && globalThis.navigator?.userAgent !== "Cloudflare-Workers",
      withinTolerance: true,
      threads: threadsPossible() ? 2 : 1,
      threadsSameBits: true,
    }),
    tolerance: 0,
  },
];

/** f32x4.relaxed_madd in a one-function module, as the WebAssembly spec's binary format writes it. */
function relaxedSimdValid() {
  const bytes = [
    0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32,
    2, 253, 133, 2, 11,
  ];
  return WebAssembly.validate(new Uint8Array(bytes));
}

/** Predictions of a seeded 200-96-10 model on the current kernels, then on the relaxed ones, then those on 2 threads. */
async function relaxedPredictions(densa) {
  const before = seededPredictions(densa);
  const info = await densa.init({ relaxedSimd: true });
  const after = seededPredictions(densa);
  let difference = 0,
    scale = 0;
  before.forEach((value, i) => {
    difference = Math.max(difference, Math.abs(value - after[i]));
    scale = Math.max(scale, Math.abs(value));
  });
  const threaded = await densa.init({ threads: 2 });
  const afterThreaded = seededPredictions(densa);
  return {
    relaxedSimd: info.relaxedSimd,
    withinTolerance: difference <= 1e-5 * scale,
    threads: threaded.threads,
    threadsSameBits: after.every((value, i) => Object.is(value, afterThreaded[i])),
  };
}

function seededPredictions({ Sequential, layers, setRandomSeed, tensor }) {
  const x = tensor(
    Float32Array.from({ length: 64 * 200 }, (_, i) => ((i * 13) % 31) / 16 - 0.9375),
    [64, 200],
  );
  setRandomSeed(17);
  const model = new Sequential([new layers.Dense(96, { activation: "tanh", inputShape: [200] }), new layers.Dense(10)]);
  try {
    return model.predict(x).data;
  } finally {
    model.dispose();
  }
}

/** Whether this runtime should give threads: not Cloudflare Workers, and not a page without cross-origin isolation. */
function threadsPossible() {
  const workers = globalThis.navigator?.userAgent === "Cloudflare-Workers";
  return !workers && globalThis.crossOriginIsolated !== false;
}

/**
 * The same seeded run on one thread (the default kernels), then on two, three and one (the shared build, its pool
 * stopped); products of ~2.4 M multiply-adds.
 */
async function threadedTraining(densa) {
  const before = await wideTrainingHash(densa);
  const threads = [],
    threadsProperty = [],
    sameWeights = [];
  for (const count of [2, 3, 1]) {
    threads.push((await densa.init({ threads: count })).threads);
    threadsProperty.push(densa.threads);
    sameWeights.push((await wideTrainingHash(densa)) === before);
  }
  return { threads, threadsProperty, sameWeights };
}

async function wideTrainingHash({ Sequential, layers, setRandomSeed, tensor }) {
  const samples = 256,
    features = 96;
  const x = tensor(
    Float32Array.from({ length: samples * features }, (_, i) => ((i * 37) % 29) / 16 - 0.875),
    [samples, features],
  );
  const y = Array.from({ length: samples }, (_, i) => (i * 7 + (i >> 4)) % 10);
  setRandomSeed(99);
  const model = new Sequential([
    new layers.Dense(384, { activation: "relu", inputShape: [features] }),
    new layers.Dense(10, { activation: "softmax" }),
  ]);
  try {
    model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy" });
    await model.fit(x, y, { epochs: 2, batchSize: 64, shuffle: true, seed: 5, verbose: 0 });
    let hash = 0x811c9dc5;
    for (const weight of model.getWeights()) {
      for (const byte of new Uint8Array(weight.data.buffer, weight.data.byteOffset, weight.data.byteLength)) {
        hash = Math.imul(hash ^ byte, 0x01000193);
      }
    }
    return hash >>> 0;
  } finally {
    model.dispose();
  }
}

async function openKerasFixtures({ loadModel, tensor }) {
  if (kerasFixtures.length === 0) return "skipped: ../shared/fixtures/keras-files is absent";
  const statuses = [];
  for (const fixture of kerasFixtures) {
    const binary = atob(fixture.base64);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    let model;
    try {
      model = await loadModel(bytes);
    } catch (error) {
      const reason = /Functional model|cannot run layer class "?(\w+)/.exec(error?.message ?? "");
      if (!reason) throw new Error(`${fixture.name}: ${describe(error)}`);
      statuses.push(`${fixture.name}: waits for ${reason[1] ?? "the Functional API"}`);
      continue;
    }
    try {
      const several = Array.isArray(fixture.shape[0]);
      const x = several
        ? fixture.inputs.map((rows, i) => tensor(Float32Array.from(rows.flat()), fixture.shape[i]))
        : tensor(Float32Array.from(fixture.inputs.flat()), fixture.shape);
      const y = model.predict(x);
      const got = (Array.isArray(y) ? y[0] : y).data;
      const want = fixture.expected.flat();
      const bad = want.findIndex((value, i) => !(Math.abs(got[i] - value) <= 1e-5 + 1e-4 * Math.abs(value)));
      if (got.length !== want.length || bad >= 0)
        throw new Error(`${fixture.name}: output ${bad} is ${got[bad]}, numpy says ${want[bad]}`);
      statuses.push(`${fixture.name}: ok`);
    } finally {
      model.dispose();
    }
  }
  return statuses.join("; ");
}

/** Runs every check after `init()`; never throws, so a runtime can always report what happened. */
export async function runChecks(densa) {
  const results = [];
  try {
    await densa.init();
  } catch (error) {
    return { results: [{ name: "init", ok: false, error: describe(error) }] };
  }
  for (const check of checks) {
    try {
      const got = await check.run(densa);
      if (check.sameInEveryRuntime) {
        results.push({ name: check.name, ok: true, got, sameInEveryRuntime: true });
        continue;
      }
      const expected = check.expected();
      results.push({ name: check.name, ok: matches(got, expected, check.tolerance), got, expected });
    } catch (error) {
      results.push({ name: check.name, ok: false, error: describe(error) });
    }
  }
  return { results };
}

/**
 * Trains a small MLP with Dropout, BatchNormalization (moving statistics), seeded and unseeded noise layers,
 * LayerNormalization and PReLU for a few seeded epochs and returns an FNV-1a hash of all its weights' bytes.
 * Only the public API is used. The data come from integer arithmetic and exact binary fractions (no
 * Math.random, no Math.sin), so every runtime starts from the same bits; any difference in the hash then comes
 * from the library. Throws when training did not train (loss not falling, non-finite weights), so that equal
 * hashes of broken runs cannot pass.
 */
async function seededTrainingHash({ Sequential, layers, optimizers, setRandomSeed }) {
  const samples = 120;
  const features = 6;
  const classes = 3;
  const x = [];
  const y = [];
  for (let i = 0; i < samples; i++) {
    const codes = Array.from({ length: features }, (_, j) => (i * 37 + j * 11 + ((i * j) % 7)) % 17);
    x.push(codes.map((code) => code / 16 - 0.5)); // exact in float32
    y.push((codes[0] + 2 * codes[1] + codes[3]) % classes);
  }
  setRandomSeed(20240611); // initial weights come from the global generator
  const model = new Sequential([
    new layers.Dense(24, { activation: "relu", inputShape: [features] }),
    new layers.BatchNormalization(),
    new layers.GaussianNoise(0.1, { seed: 3 }),
    new layers.Dropout(0.25),
    new layers.Dense(12, { activation: "tanh" }),
    new layers.GaussianDropout(0.1),
    new layers.LayerNormalization(),
    new layers.PReLU(),
    new layers.Dense(classes, { activation: "softmax" }),
  ]);
  try {
    const learningRate = new optimizers.schedules.CosineDecay({
      initialLearningRate: 0.02,
      decaySteps: 40,
      alpha: 0.1,
    });
    model.compile({
      optimizer: new optimizers.Adam({ learningRate }),
      loss: "sparse_categorical_crossentropy",
      metrics: ["accuracy"],
    });
    const history = await model.fit(x, y, { epochs: 6, batchSize: 16, shuffle: true, seed: 7, verbose: 0 });
    const losses = history.history.loss;
    if (!(losses[losses.length - 1] < losses[0]))
      throw new Error(`training did not lower the loss: ${losses.join(", ")}`);
    let hash = 0x811c9dc5; // FNV-1a, 32 bits (offset basis and prime from the FNV reference)
    let values = 0;
    for (const weight of model.getWeights()) {
      if (!weight.data.every(Number.isFinite)) throw new Error("a weight is not finite after training");
      const bytes = new Uint8Array(weight.data.buffer, weight.data.byteOffset, weight.data.byteLength);
      for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
      values += weight.data.length;
    }
    return `${(hash >>> 0).toString(16).padStart(8, "0")} (${values} weights)`;
  } finally {
    model.dispose();
  }
}

/** Deterministic small values, positive and negative, in a rows×cols nested array. */
function grid(rows, cols, seed) {
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => ((i * 7 + j * 3 + seed * 5) % 11) / 4 - 1.25),
  );
}

/** Plain float64 matrix product, the trusted reference. */
function referenceMatMul(a, b) {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, value, p) => sum + value * b[p][j], 0)));
}

/** Deep equality of nested number arrays, each number within `tolerance` relative to 1 + |expected|. */
function matches(got, expected, tolerance) {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(got) && got.length === expected.length && got.every((g, i) => matches(g, expected[i], tolerance))
    );
  }
  if (typeof expected === "object" && expected !== null) {
    const keys = Object.keys(expected);
    return (
      typeof got === "object" &&
      got !== null &&
      Object.keys(got).length === keys.length &&
      keys.every((key) => matches(got[key], expected[key], tolerance))
    );
  }
  if (typeof expected !== "number") return got === expected;
  return typeof got === "number" && Math.abs(got - expected) <= tolerance * (1 + Math.abs(expected));
}

function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
