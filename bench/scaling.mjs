// How cost grows: training samples/s and predict samples/s across layer widths and batch sizes, for densa
// (one thread; all threads once init takes a thread count), tfjs-wasm, onnxruntime-web (inference, from an
// ONNX file of densa's weights) and native PyTorch (a child /usr/bin/python3, one thread) when it has torch.
//
// Two sweeps:
//   widths:  MLP 784-w-w-10 for w in WIDTHS, batch 32 (training) and batch 256 (predict)
//   batches: the bench model 784-128-64-10 at every batch size in BATCHES, training and predict
// Each round measures every point for every library in turn (starting one further each round; PyTorch is one
// long-lived child process asked point by point), so load from other processes falls on all of them alike;
// figures are medians over rounds, by the wall clock and per CPU second (process user + system time, which
// leaves out waiting for a core on a busy machine).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { median } from "./measure.mjs";
import { syntheticClassification } from "./synthetic.mjs";

export const FULL = { widths: [64, 128, 256, 512, 1024], batches: [1, 4, 16, 32, 64, 128, 256, 512] };
export const QUICK = { widths: [64, 256, 1024], batches: [1, 32, 256, 512] };
const BENCH_HIDDEN = [128, 64];
const WIDTH_TRAIN_BATCH = 32,
  WIDTH_PREDICT_BATCH = 256;
const SAMPLES = 4096,
  FEATURES = 784,
  CLASSES = 10;
const PYTHON = "/usr/bin/python3";

/**
 * The init options of densa's "all threads" configuration: every core of the machine (`os` is node:os), or null on
 * a one-core machine (the row is then left out). The densa adapter runs this configuration on its own copy of the
 * package (bench/peers/densa.mjs), so the "densa" rows stay on the default one-thread kernels, and passes these
 * options to init() before each of its timed phases.
 */
export function densaAllThreadsInit(machine) {
  const cores = machine.availableParallelism?.() ?? machine.cpus().length;
  return cores > 1 ? { threads: "auto" } : null;
}

/** The points of both sweeps, as { sweep, kind, hidden, batch }. */
export function scalingPoints({ widths, batches }) {
  const points = [];
  for (const width of widths) {
    points.push({ sweep: "width", kind: "train", hidden: [width, width], batch: WIDTH_TRAIN_BATCH, width });
    points.push({ sweep: "width", kind: "predict", hidden: [width, width], batch: WIDTH_PREDICT_BATCH, width });
  }
  for (const batch of batches) {
    points.push({ sweep: "batch", kind: "train", hidden: BENCH_HIDDEN, batch });
    points.push({ sweep: "batch", kind: "predict", hidden: BENCH_HIDDEN, batch });
  }
  return points;
}

const keyOf = (point) => `${point.sweep} ${point.kind} ${point.hidden.join("-")} ${point.batch}`;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const isThenable = (value) => value !== null && typeof value?.then === "function";

/** Times `run` (sync or async): wall and CPU ms. */
async function timed(run) {
  const wallStart = performance.now(),
    cpuStart = cpuMs();
  const result = run();
  if (isThenable(result)) await result;
  return { wall: performance.now() - wallStart, cpu: cpuMs() - cpuStart };
}

/** Training: fit over as many batches as take ~targetMs (one warm-up call first); samples/s. */
async function measureTrain(model, data, batch, targetMs) {
  const maxSteps = Math.floor(SAMPLES / batch);
  const slice = (steps) => [
    data.x.subarray(0, steps * batch * FEATURES),
    data.y.subarray(0, steps * batch * CLASSES),
    steps * batch,
  ];
  const warm = Math.min(2, maxSteps);
  const probe = await timed(() => model.train(...slice(warm), batch));
  const steps = Math.max(1, Math.min(maxSteps, Math.round(targetMs / Math.max(probe.wall / warm, 1e-3))));
  const { wall, cpu } = await timed(() => model.train(...slice(steps), batch));
  return { wall: (steps * batch) / (wall / 1000), cpu: (steps * batch) / (Math.max(cpu, 1e-3) / 1000) };
}

/**
 * Predict: `calls` calls on consecutive rows (after 3 warm-up calls); samples/s from the median call (wall
 * clock, each call timed alone) and from the CPU time of all calls together (process.cpuUsage is a system call:
 * around every call it would weigh on batch 1).
 */
async function measurePredict(model, data, batch, calls) {
  const rows = (i) => {
    const first = (i * batch) % (SAMPLES - batch + 1);
    return data.x.subarray(first * FEATURES, (first + batch) * FEATURES);
  };
  for (let i = 0; i < 3; i++) await timed(() => model.predict(rows(i), batch));
  const walls = [];
  const cpuStart = cpuMs();
  for (let i = 0; i < calls; i++) {
    const input = rows(i + 3);
    const start = performance.now();
    const output = model.predict(input, batch);
    if (isThenable(output)) await output;
    walls.push(performance.now() - start);
  }
  const cpuTotal = cpuMs() - cpuStart;
  return { wall: batch / (median(walls) / 1000), cpu: (batch * calls) / (Math.max(cpuTotal, 1e-3) / 1000) };
}

/** PyTorch: the child script over all points, one thread; null (with the reason) when unavailable. */
export function torchAvailability() {
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ["-c", "import torch, numpy; print(torch.__version__)"], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (probe.status !== 0)
    return { ok: false, reason: `${PYTHON} has no torch (install Debian's python3-torch to compare)` };
  return { ok: true, version: probe.stdout.trim() };
}

/**
 * The PyTorch child (bench/peers/torch_bench.py) as a line server: `ask(point)` resolves to { wall, cpu }.
 * NOTE: glibc's malloc hands blocks above its mmap threshold (128 KB, raised only after large frees) straight to
 * mmap, so a fresh PyTorch process page-faults its ~400 KB gradient buffers in every step: measured, 4× slower
 * training of the bench model than the same process once the threshold has moved. The tunables fix the threshold
 * high from the start, which is PyTorch at its best, the fair comparison.
 */
async function startTorch() {
  const script = fileURLToPath(new URL("./peers/torch_bench.py", import.meta.url));
  const child = spawn(PYTHON, [script], {
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      OMP_NUM_THREADS: "1",
      OPENBLAS_NUM_THREADS: "1",
      MKL_NUM_THREADS: "1",
      GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=268435456",
    },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`torch_bench.py ended: ${stderr.trim().split("\n").slice(-2).join(" | ")}`);
    return JSON.parse(value);
  };
  const info = await next();
  return {
    info,
    ask(point) {
      child.stdin.write(`${JSON.stringify(point)}\n`);
      return next();
    },
    close() {
      child.stdin.end();
    },
  };
}

/**
 * Runs both sweeps. `libraries`: [{ name, adapter }] of loaded JS adapters (createClassifier) and optionally
 * an onnxruntime adapter (createFromLayers) under `onnx`, which predicts with the weights of `weightsFrom`
 * (densa's classifier). Returns { points, results: Map(key → Map(library → { wall, cpu })), torch, notes }.
 */
export async function measureScaling({ libraries, onnx, weightsFrom, quick, rounds }) {
  const grid = quick ? QUICK : FULL;
  const points = scalingPoints(grid);
  const targetMs = quick ? 80 : 150;
  const calls = quick ? 12 : 30;
  const data = syntheticClassification({ count: SAMPLES, features: FEATURES, classes: CLASSES, seed: 2 });
  const results = new Map(points.map((point) => [keyOf(point), new Map()]));
  const samples = new Map(); // key → library → [{ wall, cpu }]
  const record = (point, name, value) => {
    const key = keyOf(point);
    if (!samples.has(key)) samples.set(key, new Map());
    const byLibrary = samples.get(key);
    if (!byLibrary.has(name)) byLibrary.set(name, []);
    byLibrary.get(name).push(value);
  };
  const torch = torchAvailability();
  const notes = [];
  if (!torch.ok) notes.push(`PyTorch skipped: ${torch.reason}.`);

  // One model per library and architecture, built once (weights keep training across rounds; the cost of a
  // step does not depend on the values).
  const architectures = [...new Map(points.map((point) => [point.hidden.join("-"), point.hidden])).values()];
  const models = new Map();
  const modelFor = async (library, hidden) => {
    const key = `${library.name} ${hidden.join("-")}`;
    if (!models.has(key)) {
      await library.adapter.activate();
      if (library.onnx) {
        const source = models.get(`${weightsFrom} ${hidden.join("-")}`);
        models.set(key, await library.adapter.createFromLayers(source.denseLayers()));
      } else {
        models.set(key, await library.adapter.createClassifier({ inputs: FEATURES, hidden, classes: CLASSES }));
      }
    }
    return models.get(key);
  };
  const all = [...libraries, ...(onnx ? [{ name: onnx.name, adapter: onnx.adapter, onnx: true }] : [])];
  for (const hidden of architectures) for (const library of all) await modelFor(library, hidden);
  let torchServer = null;
  if (torch.ok) {
    try {
      torchServer = await startTorch();
      Object.assign(torch, { version: torchServer.info.version, blas: torchServer.info.blas });
      all.push({ name: "PyTorch", torch: true });
    } catch (error) {
      torch.ok = false;
      notes.push(`PyTorch failed to start: ${error.message}`);
    }
  }

  for (let round = 0; round < rounds; round++) {
    console.error(`  scaling round ${round + 1}/${rounds}`);
    for (const point of points) {
      const order = all.map((_, i) => all[(i + round) % all.length]);
      for (const library of order) {
        if (library.onnx && point.kind === "train") continue;
        if (library.failure) continue;
        try {
          let value;
          if (library.torch) {
            value = await torchServer.ask({
              kind: point.kind,
              hidden: point.hidden,
              batch: point.batch,
              target_ms: targetMs,
              calls,
            });
          } else {
            await library.adapter.activate();
            const model = await modelFor(library, point.hidden);
            value =
              point.kind === "train"
                ? await measureTrain(model, data, point.batch, targetMs)
                : await measurePredict(model, data, point.batch, calls);
          }
          record(point, library.name, value);
        } catch (error) {
          library.failure = `${error?.message ?? error}`.split("\n")[0];
          notes.push(`${library.name} failed at ${keyOf(point)}: ${library.failure}; left out from there on.`);
          console.error(`  ${library.name}: failed (${library.failure})`);
        }
      }
    }
  }
  torchServer?.close();
  for (const model of models.values()) model.dispose?.();
  for (const [key, byLibrary] of samples) {
    for (const [name, values] of byLibrary) {
      results.get(key).set(name, { wall: median(values.map((v) => v.wall)), cpu: median(values.map((v) => v.cpu)) });
    }
  }
  const names = all.map((library) => library.name);
  return { grid, points, results, names, torch, notes, keyOf };
}
