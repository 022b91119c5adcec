// densa against its peers on the same work, in one process: training throughput, inference latency and
// throughput, cold start (in child processes) and bundle size. Prints tables of ratios and writes
// bench/RESULTS.md. Run by `npm run bench` after `npm run build`.
//
//   node bench/run.mjs [--quick] [--only=densa,tfjs-wasm] [--rounds=5] [--cold-rounds=5] [--scaling-rounds=3]
//                      [--skip=train,predict,functional,cold,bundle,scaling,step,threads] [--no-write]
//
// A library whose adapter (bench/peers/*.mjs) fails to load is skipped with the reason, so the bench runs with
// whatever is available (e.g. the peers alone before densa is built).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { measureBundles } from "./bundle-size.mjs";
import { measureFunctionalMemory, measureFunctionalThroughput } from "./functional.mjs";
import { measureColdStart, measureInference, measureTraining } from "./measure.mjs";
import { describeMachine, markdownReport, printReport } from "./report.mjs";
import { densaAllThreadsInit, measureScaling } from "./scaling.mjs";
import { writeScalingCharts } from "./scaling-report.mjs";
import { syntheticClassification } from "./synthetic.mjs";
import { measureThreads, threadsMarkdown } from "./threads.mjs";

const MODEL = { inputs: 784, hidden: [128, 64], classes: 10 };
const BATCH_SIZE = 32;
const DATA_SAMPLES = 4096;

// NOTE: the slow peers train on the first samples of the same data only, to keep the run within ~3 minutes;
// their cost per sample does not depend on the epoch length (brain.js has no batches at all, tfjs-cpu's
// batches are the same 32 samples), so samples/s stays comparable.
const PEERS = [
  { name: "densa", module: "./peers/densa.mjs", options: {}, trainSamples: DATA_SAMPLES },
  { name: "tfjs-wasm", module: "./peers/tfjs.mjs", options: { backend: "wasm" }, trainSamples: DATA_SAMPLES },
  { name: "tfjs-cpu", module: "./peers/tfjs.mjs", options: { backend: "cpu" }, trainSamples: 1024 },
  { name: "brain.js", module: "./peers/brain.mjs", options: {}, trainSamples: 128 },
];
// HOOK (threads): densa's all-threads configuration joins every measurement once densaAllThreadsInit returns
// init options for it (bench/scaling.mjs).
const allThreadsInit = densaAllThreadsInit(os);
if (allThreadsInit) {
  PEERS.splice(1, 0, {
    name: "densa (all threads)",
    module: "./peers/densa.mjs",
    options: { init: allThreadsInit },
    trainSamples: DATA_SAMPLES,
  });
}
for (const peer of PEERS) peer.moduleUrl = new URL(peer.module, import.meta.url).href;
const ONNX_PEER = { name: "onnxruntime-web", module: "./peers/onnxruntime.mjs", options: { threads: 1 } };

function parseArguments(argv) {
  const quick = argv.includes("--quick");
  const options = {
    quick,
    rounds: quick ? 3 : 5,
    coldRounds: quick ? 3 : 5,
    scalingRounds: quick ? 2 : 3,
    only: undefined,
    skip: new Set(),
    write: true,
  };
  for (const argument of argv) {
    const [key, value = ""] = argument.replace(/^--/, "").split("=");
    if (key === "quick") continue;
    else if (key === "scaling-rounds") options.scalingRounds = Number(value);
    else if (key === "rounds") options.rounds = Number(value);
    else if (key === "cold-rounds") options.coldRounds = Number(value);
    else if (key === "only") options.only = value.split(",");
    else if (key === "skip") options.skip = new Set(value.split(","));
    else if (key === "no-write") options.write = false;
    else throw new Error(`bench: unknown argument ${argument}`);
  }
  return options;
}

/** Loads each adapter and builds its model; a failure skips the library with a clear reason. */
async function loadPeers(peers, skipped) {
  const entries = [];
  for (const peer of peers) {
    try {
      const { load } = await import(peer.moduleUrl);
      const adapter = await load(peer.options);
      const model = await adapter.createClassifier(MODEL);
      entries.push({ ...peer, adapter, model });
      console.error(`loaded ${peer.name}: ${adapter.notes}`);
    } catch (error) {
      const reason = `${error?.message ?? error}`.split("\n")[0];
      const hint = peer.name === "densa" ? " (is the package built? run `npm run build`)" : "";
      skipped.push({ name: peer.name, reason: `adapter ${peer.module} failed to load: ${reason}${hint}` });
      console.error(`skipping ${peer.name}: ${reason}${hint}`);
    }
  }
  return entries;
}

const METHOD = `All libraries run in one Node process, on the same seeded synthetic data (${DATA_SAMPLES} samples of
784 uniform [0, 1) features, one-hot labels of 10 classes) and the same model: Dense 128 relu → Dense 64 relu →
Dense 10 softmax. Every timing loop interleaves the libraries round-robin (starting one further each round), so
noise from other processes on the shared machine falls on all of them, and reports medians.

- **Training throughput**: one epoch of \`model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 })\`
  (densa and tfjs; tfjs with \`tf.train.adam(1e-3)\`, densa with \`"adam"\`, whose default rate is 1e-3), timed from
  the Float32Arrays to fit's resolution, so making the input tensors is included. One warm-up epoch, then
  one timed epoch per round. samples/s = samples in the epoch ÷ wall-clock seconds (median over rounds); the
  "per CPU second" column divides by the process's user + system CPU time instead, which leaves out time spent
  waiting for a core on a busy machine (all libraries here compute on one thread). tfjs-cpu trains on the
  first 1024 samples and brain.js on the first 128 (they are slow; their per-sample cost does not depend on
  the epoch length).
- **brain.js differs** (1.6.1 NeuralNetwork, \`hiddenLayers: [128, 64]\`, \`activation: "relu"\`,
  \`praxis: "adam"\`, \`learningRate: 1e-3\`, \`iterations: 1\`): it updates after every sample (no batches), uses
  relu on the output layer too (no softmax), back-propagates target − output (squared error, not cross-entropy),
  computes Adam's bias corrections with two \`Math.pow\` per weight per sample, and needs plain arrays as training
  inputs (the conversion from Float32Array is inside the timing).
- **Inference**: \`predict\` on one sample, each call timed on its own (200 calls a round), median over all calls (after 20 warm-up
  calls); and on batches of 256, median call time → samples/s. Timed from a Float32Array to a Float32Array
  of outputs (tfjs: \`tf.tensor2d\` → \`model.predict\` → \`dataSync()\`; densa: \`tensor()\` → \`model.predict().data\`;
  brain.js: one \`run\` a sample).
- **Cold start**: a fresh \`node bench/cold-start.mjs\` per library and round; the child times from before
  \`import\` of the adapter (which imports the library) through init (tfjs: \`setBackend\`, densa: \`init()\`),
  building the model with random weights, to the first prediction's values. Node's own start-up is not in
  that number; the whole child process (spawn → exit) is shown beside it.
- **Bundle size**: the apps in \`bench/apps/\` (a predict-only app that loads a saved model and predicts once —
  densa's imports \`densa/infer\`, the entry without the training code and with the forward kernels only —
  and a training app that builds, compiles, fits and predicts), bundled with the esbuild JS API
  (\`bundle, minify, format esm, platform browser\`) and compressed with zlib gzip level 9. densa inlines its
  wasm into the bundle; for tfjs-wasm the gzip size of \`tfjs-backend-wasm-simd.wasm\` (the variant a browser
  without cross-origin isolation fetches) is added. "tfjs-wasm" imports the \`@tensorflow/tfjs\` umbrella
  package as its docs do; "core+layers only" imports \`@tensorflow/tfjs-core\` + \`@tensorflow/tfjs-layers\`, the
  smallest set that works. brain.js is bundled from \`brain.js/dist/neural-network.js\` (its package index also
  pulls in gpu.js and a Node stream class a browser bundle cannot resolve).
- Production mode is on for tfjs (\`tf.enableProdMode()\`), which only removes debug checks. tfjs-wasm runs
  single-threaded in Node (its \`WASM_HAS_MULTITHREAD_SUPPORT\` flag is false there), with SIMD.`;

const SCALING_METHOD = `- **Scaling** (bench/scaling.mjs): MLP 784-w-w-10 for each width w at batch 32 (training) and 256 (predict),
  and the bench model 784-128-64-10 at each batch size, training and predict. Each round measures every point
  for every library in turn (starting one further each round); figures are medians over rounds. Training: one
  fit epoch over as many batches as take ~150 ms (80 ms with --quick), after a warm-up call; predict: 30 calls
  (12) of one batch each (\`batchSize\` = the rows of the call for densa and tfjs), median call → samples/s. The
  "per CPU second" figures divide by the process's user + system CPU time instead of the wall clock; the charts
  plot those (on this shared machine the wall clock mostly measures the other processes).
- **onnxruntime-web** predicts with densa's weights: the bench writes the model as ONNX itself
  (bench/onnx-writer.mjs: Gemm + Relu/Softmax, opset 13) and runs it on the wasm backend with one thread.
- **PyTorch** runs in one long-lived child \`/usr/bin/python3\` (bench/peers/torch_bench.py) that takes its turn
  at every point in the same rotation as the JS libraries, with \`torch.set_num_threads(1)\` and OMP/OpenBLAS
  threads 1: the same models, Adam lr 1e-3, CrossEntropyLoss on the logits (= softmax + categorical
  cross-entropy), NumPy float32 in and out. Its glibc malloc gets a high fixed mmap threshold
  (\`GLIBC_TUNABLES\`): with the default, a fresh process page-faults its ~400 KB gradient buffers every step
  and trains the bench model ~4× slower, so this is PyTorch at its best. Skipped with a note when that Python
  has no torch (Debian: \`apt-get install python3-torch\`); never needed by npm test.
- **Functional vs Sequential** (bench/functional.mjs): densa alone, in this process, two models of equal work
  taking turns (the first alternating each round; one warm-up epoch each, then 7 timed epochs each, 3 with
  --quick): Sequential 784-128-64-10 and a Functional model whose two Dense 64 relu branches from the input are
  concatenated, then Dense 64 relu → Dense 10 softmax. Both have 109,386 parameters and 454,400 training FLOPs
  a sample (forward 2·109,184, weight gradients 2·109,184, propagated gradients 2·8,832). The same fit epoch as
  the training row (4,096 samples, batch 32, Adam, no shuffle); the ratio is the median of the per-round ratios.
- **RSS over cycles** (bench/functional-memory.mjs, a child \`node --expose-gc\`): a Functional model (Dense 32 →
  BatchNormalization → Dense 16, a Dense 8 branch, Concatenate, Dense 3 softmax) built, compiled, fitted
  (2 epochs of 256 samples with validationSplit 0.25), predicted and disposed, 200 warm-up cycles, then 300;
  RSS after forced collections after the warm-up against after the 300.
- **Step profile** (bench/step-profile.mjs): one fit step of the bench model against the same GEMM calls run
  alone (CPU time); ratio = the step's GEMM FLOP/s ÷ the GEMM kernel's FLOP/s on those shapes.`;

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const startedAt = performance.now();
  const machine = describeMachine();
  const selected = PEERS.filter((peer) => !options.only || options.only.includes(peer.name));
  const skipped = [];
  const entries = await loadPeers(selected, skipped);
  const data = syntheticClassification({
    count: DATA_SAMPLES,
    features: MODEL.inputs,
    classes: MODEL.classes,
    seed: 1,
  });
  const results = {
    machine,
    skipped,
    libraries: entries.map((entry) => entry.name),
    trainSamples: Object.fromEntries(entries.map((entry) => [entry.name, entry.trainSamples])),
  };

  if (!options.skip.has("train") && entries.length) {
    console.error("training…");
    results.training = await measureTraining(entries, data, { rounds: options.rounds, batchSize: BATCH_SIZE });
  }
  if (!options.skip.has("predict") && entries.length) {
    console.error("inference…");
    results.inference = await measureInference(entries, data, {
      rounds: options.rounds,
      singleCalls: 200,
      batchCalls: 3,
    });
  }
  for (const entry of entries) {
    if (entry.failure) skipped.push({ name: entry.name, reason: `failed during the run: ${entry.failure}` });
    entry.model.dispose();
  }
  if (!options.skip.has("functional") && (!options.only || options.only.includes("densa"))) {
    console.error("Functional vs Sequential, and RSS over Functional build / fit / dispose cycles…");
    try {
      results.functional = {
        throughput: await measureFunctionalThroughput({ rounds: options.quick ? 3 : 7 }),
        memory: measureFunctionalMemory({ cycles: 300, warmupCycles: 200 }),
      };
    } catch (error) {
      skipped.push({ name: "Functional rows", reason: `${error?.message ?? error}`.split("\n")[0] });
    }
  }
  if (!options.skip.has("scaling") && entries.length) {
    console.error("scaling (widths and batch sizes)…");
    const libraries = entries
      .filter((entry) => !entry.failure && PEERS.find((p) => p.name === entry.name).trainSamples === DATA_SAMPLES)
      .map((entry) => ({ name: entry.name, adapter: entry.adapter }));
    let onnx = null;
    if (!options.only || options.only.includes(ONNX_PEER.name)) {
      try {
        const { load } = await import(new URL(ONNX_PEER.module, import.meta.url).href);
        onnx = { name: ONNX_PEER.name, adapter: await load(ONNX_PEER.options) };
        console.error(`loaded ${ONNX_PEER.name}: ${onnx.adapter.notes}`);
      } catch (error) {
        skipped.push({
          name: ONNX_PEER.name,
          reason: `adapter failed to load: ${`${error?.message ?? error}`.split("\n")[0]}`,
        });
      }
    }
    const weightsFrom = libraries.some((library) => library.name === "densa") ? "densa" : null;
    results.scaling = await measureScaling({
      libraries,
      onnx: weightsFrom ? onnx : null,
      weightsFrom,
      quick: options.quick,
      rounds: options.scalingRounds,
    });
    results.scaling.onnxNotes = onnx?.adapter.notes;
    results.scaling.wallClockNames = new Set(allThreadsInit ? ["densa (all threads)"] : []);
  }
  if (!options.skip.has("step") && (!options.only || options.only.includes("densa"))) {
    console.error("training step profile…");
    const script = fileURLToPath(new URL("./step-profile.mjs", import.meta.url));
    const child = spawnSync(process.execPath, [script, "--json", ...(options.quick ? ["--quick"] : [])], {
      encoding: "utf8",
      timeout: 600_000,
    });
    if (child.status === 0) {
      const lines = child.stdout.trim().split("\n");
      results.step = { ...JSON.parse(lines.pop()), text: lines.join("\n") };
    } else {
      skipped.push({ name: "step profile", reason: child.stderr.trim().split("\n").slice(-2).join(" | ") });
    }
  }
  if (!options.skip.has("threads") && allThreadsInit && (!options.only || options.only.includes("densa"))) {
    console.error("threads and relaxed SIMD…");
    try {
      results.threads = threadsMarkdown(await measureThreads({ rounds: options.quick ? 2 : 5 }));
    } catch (error) {
      skipped.push({ name: "threads", reason: `${error?.message ?? error}`.split("\n")[0] });
    }
  }
  if (!options.skip.has("cold")) {
    console.error("cold start…");
    // Only libraries whose adapter loaded here: a child would fail the same way.
    results.coldStart = measureColdStart(
      selected.filter((peer) => entries.some((entry) => entry.name === peer.name)),
      { rounds: options.coldRounds },
    );
  }
  if (!options.skip.has("bundle")) {
    console.error("bundle sizes…");
    results.bundles = await measureBundles(options.only);
  }
  results.loadAverageAtEnd = os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(" ");

  printReport(results);
  const seconds = (performance.now() - startedAt) / 1000;
  console.error(`total time ${seconds.toFixed(0)} s`);
  if (options.write) {
    if (results.scaling) writeScalingCharts(results.scaling, new URL("./charts/", import.meta.url));
    const method =
      `${METHOD}\n\n${SCALING_METHOD}\n\nRounds: ${options.rounds} (training, inference), ${options.coldRounds} (cold start), ` +
      `${options.scalingRounds} (scaling${options.quick ? ", quick grid" : ""}); total run time ${seconds.toFixed(0)} s${options.quick ? " (--quick)" : ""}.`;
    writeFileSync(new URL("./RESULTS.md", import.meta.url), markdownReport(results, method));
    console.error("wrote bench/RESULTS.md");
  }
}

await main();
