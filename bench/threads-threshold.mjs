// Where splitting a kernel over threads starts to pay: runs each kernel at growing sizes on one thread and split
// over all of them (as many parts as the plan allows: up to 4 a thread), alternating the two in one process (the
// pool stays up; only the threshold changes), and prints the medians (and the fastest tenths) of single calls and
// their ratio; split calls count only where a pool thread had a core (see times()).
// Half the work where the ratio passes 1 is PARALLEL_MIN_WORK's per-part figure: a kernel that large gets two
// parts (ts/engine/threads/parallel-kernels.ts).
// Usage: node bench/threads-threshold.mjs [threads] [rounds]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const threads = Number(process.argv[2] ?? 2);
const rounds = Number(process.argv[3] ?? 15); // of 100 calls each way
const entry = new URL("./threads-internals.ts", import.meta.url).pathname;
const bundled = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
});
const dir = mkdtempSync(join(tmpdir(), "densa-threads-"));
const file = join(dir, "internals.mjs");
writeFileSync(file, bundled.outputFiles[0].text);
const { init, getEngine, currentKernelVariant, PARALLEL_MIN_WORK, POOL_BACKOFF_MS } = await import(
  pathToFileURL(file).href
);
// NOTE: no backoff here: the pool must split what the thresholds say, whatever the load.
Object.assign(POOL_BACKOFF_MS, { first: 0, max: 0 });
rmSync(dir, { recursive: true });

await init({ threads });
const engine = getEngine();
const kernels = engine.kernels;
const fill = (ptr, count) =>
  engine.write(
    ptr,
    Float32Array.from({ length: count }, (_, i) => ((i * 7) % 13) / 13 - 0.4),
  );

const pool = currentKernelVariant().pool;
pool.profiling = true;
const workerWorked = () =>
  pool
    .profile()
    .slice(1)
    .reduce((sum, thread) => sum + thread.worked, 0);
const workerLagMs = () =>
  pool
    .profile()
    .slice(1)
    .reduce((sum, thread) => sum + thread.lagMs, 0);

/**
 * µs of single calls of `run`: one thread, and split; a split call counts only when a pool thread ran parts of
 * it within 10 µs of the hand-off (both threads had a core: on a machine shared with other work most calls do
 * not, and timing batches of calls would measure the scheduler).
 */
function times(run, split, calls) {
  const kept = [];
  for (let call = 0; call < calls; call++) {
    const [worked, lag] = split ? [workerWorked(), workerLagMs()] : [0, 0];
    const start = performance.now();
    run();
    const elapsed = (performance.now() - start) * 1000;
    if (!split || (workerWorked() > worked && (workerLagMs() - lag) * 1000 <= 10)) kept.push(elapsed);
  }
  return kept;
}

function compare(label, work, run) {
  const serial = [],
    parallel = [];
  for (let r = 0; r < rounds; r++) {
    PARALLEL_MIN_WORK.productMacs = Infinity;
    PARALLEL_MIN_WORK.elements = Infinity;
    serial.push(...times(run, false, 100));
    PARALLEL_MIN_WORK.productMacs = 1;
    PARALLEL_MIN_WORK.elements = 1;
    parallel.push(...times(run, true, 100));
  }
  const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(values.length * q)];
  const [s, p] = [quantile(serial, 0.5), quantile(parallel, 0.5)];
  const [sFast, pFast] = [quantile(serial, 0.1), quantile(parallel, 0.1)];
  console.log(
    `${label.padEnd(30)} work ${String(work).padStart(8)} | split calls kept ${String(parallel.length).padStart(5)} | median: 1 thread ${s?.toFixed(1).padStart(7)} µs, ${threads} threads ${p?.toFixed(1).padStart(7)} µs, ×${(s / p).toFixed(2)}` +
      ` | fastest tenth: ${sFast?.toFixed(1).padStart(7)} µs, ${pFast?.toFixed(1).padStart(7)} µs, ×${(sFast / pFast).toFixed(2)}`,
  );
}

console.log(`threads ${threads}, ${rounds} alternating rounds, medians`);
// Square-ish sizes, and the bench model's own forward products (32×128·128×64, 32×784·784×128).
for (const [m, n, k] of [
  [32, 16, 16],
  [32, 32, 32],
  [32, 64, 64],
  [32, 64, 128],
  [32, 128, 128],
  [32, 256, 256],
  [32, 128, 784],
  [32, 784, 784],
]) {
  const a = engine.allocF32(m * k),
    b = engine.allocF32(k * n),
    c = engine.allocF32(m * n);
  fill(a, m * k);
  fill(b, k * n);
  compare(`gemmNN ${m}×${n}×${k}`, m * n * k, () => kernels.gemmNN(m, n, k, a, b, c, 0));
  engine.free(a);
  engine.free(b);
  engine.free(c);
}
for (const count of [4096, 16384, 65536, 109386, 262144]) {
  const p = engine.allocF32(count),
    g = engine.allocF32(count),
    m1 = engine.allocF32(count),
    v = engine.allocF32(count);
  fill(p, count);
  fill(g, count);
  fill(m1, count);
  fill(v, count);
  compare(`adamUpdate ${count}`, count, () =>
    kernels.adamUpdate(p, g, m1, v, 0, count, 1e-3, 0.9, 0.999, 1e-7, 1, 0, 0),
  );
  compare(`activationBackward relu ${count}`, count, () =>
    kernels.activationBackward(1, Math.floor(count / 64), 64, 0, p, g, m1, 0),
  );
  for (const ptr of [p, g, m1, v]) engine.free(ptr);
}
process.exit(0);
