// Child of bench/functional.mjs (run with --expose-gc): RSS over build / compile / fit / predict / dispose cycles
// of a Functional model with BatchNormalization. Prints one JSON line.
//
//   node --expose-gc bench/functional-memory.mjs [--cycles=300] [--warmup-cycles=200]
//
// RSS is read after forced collections, once after the warm-up cycles and once after the measured ones. The
// warm-up is long on purpose: V8's heap reservation grows in steps for the first ~200 cycles with the whole
// library loaded, then stays flat (tests/model/memory.test.ts measured it up to 1,200 cycles) — that is V8
// settling, not a leak, so it stays out of the figure.
//
// densa comes from its sources (bench/densa-source.mjs: the same code as dist/, with the engine exposed) so that
// the wasm side can be read exactly beside RSS: linear memory's size, and the allocator's bytes and blocks in use.
// Those tell a leak in densa (they grow) from V8 sizing its own heap (RSS and the committed JS heap grow, they
// do not).
import { importDensaSource } from "./densa-source.mjs";
import { syntheticClassification } from "./synthetic.mjs";

const { getEngine, init, Input, Model, layers, setRandomSeed, tensor } = await importDensaSource();

const FEATURES = 16;
const CLASSES = 3;
const SAMPLES = 256;

function argument(name, fallback) {
  const found = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
}

function functionalModel() {
  const input = Input({ shape: [FEATURES], name: "features" });
  const deep = new layers.BatchNormalization().apply(new layers.Dense(32, { activation: "relu" }).apply(input));
  const deeper = new layers.Dense(16, { activation: "relu" }).apply(deep);
  const wide = new layers.Dense(8, { activation: "relu" }).apply(input);
  const joined = new layers.Concatenate().apply([deeper, wide]);
  const output = new layers.Dense(CLASSES, { activation: "softmax", name: "label" }).apply(joined);
  const model = new Model({ inputs: input, outputs: output, name: "bn_cycles" });
  model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  return model;
}

async function cycle(x, y) {
  const model = functionalModel();
  await model.fit(x, y, { epochs: 2, batchSize: 32, validationSplit: 0.25, seed: 1, verbose: 0 });
  model.predict(x);
  model.dispose();
}

/** Forced collections, each followed by a macrotask turn in which FinalizationRegistry callbacks can run. */
async function settle() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

if (typeof globalThis.gc !== "function") throw new Error("bench/functional-memory.mjs: run with node --expose-gc");
const cycles = argument("cycles", 300);
const warmupCycles = argument("warmup-cycles", 200);
await init();
setRandomSeed(1);
const data = syntheticClassification({ count: SAMPLES, features: FEATURES, classes: CLASSES, seed: 2 });
const x = tensor(data.x, [SAMPLES, FEATURES]);
const y = tensor(Float32Array.from(data.labels), [SAMPLES]);

const wasmUsage = () => {
  const engine = getEngine();
  return {
    memoryBytes: engine.memory.buffer.byteLength,
    bytesInUse: engine.allocator.bytesInUse,
    liveBlocks: engine.allocator.liveBlocks,
  };
};
const rssAtStart = process.memoryUsage().rss;
for (let i = 0; i < warmupCycles; i++) await cycle(x, y);
await settle();
const afterWarmup = process.memoryUsage();
const wasmAfterWarmup = wasmUsage();
let rssPeak = afterWarmup.rss;
for (let i = 0; i < cycles; i++) {
  await cycle(x, y);
  if (i % 25 === 24) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
}
await settle();
const after = process.memoryUsage();
const wasmAfter = wasmUsage();
rssPeak = Math.max(rssPeak, after.rss);
console.log(
  JSON.stringify({
    cycles,
    warmupCycles,
    rssAtStart,
    rssAfterWarmup: afterWarmup.rss,
    rssAfter: after.rss,
    rssPeak,
    rssGrowth: after.rss - afterWarmup.rss,
    heapAfterWarmup: afterWarmup.heapUsed,
    heapAfter: after.heapUsed,
    heapCommittedAfterWarmup: afterWarmup.heapTotal,
    heapCommittedAfter: after.heapTotal,
    wasmAfterWarmup,
    wasmAfter,
  }),
);
