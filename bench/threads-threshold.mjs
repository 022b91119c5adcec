// Where splitting a kernel over threads starts to pay: runs each kernel at growing sizes on one thread and split
// over all of them (as many parts as the plan allows: up to 4 a thread), alternating the two in one process (the
// pool stays up; only the threshold changes), and prints the medians (and the fastest rounds) and their ratio.
// Half the work where the ratio passes 1 is PARALLEL_MIN_WORK's per-part figure: a kernel that large gets two
// parts (ts/engine/threads/parallel-kernels.ts).
// Usage: node bench/threads-threshold.mjs [threads] [rounds]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const threads = Number(process.argv[2] ?? 2);
const rounds = Number(process.argv[3] ?? 15);
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
const { init, getEngine, PARALLEL_MIN_WORK, POOL_BACKOFF_MS } = await import(pathToFileURL(file).href);
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

/** Median µs of one call of `run`, and calls per timing chosen so a timing takes ≥ ~2 ms. */
function time(run) {
  let reps = 1;
  for (let t = performance.now(); performance.now() - t < 2; reps *= 2) for (let r = 0; r < reps; r++) run();
  const start = performance.now();
  for (let r = 0; r < reps; r++) run();
  return ((performance.now() - start) * 1000) / reps;
}

function compare(label, work, run) {
  const serial = [],
    parallel = [];
  for (let r = 0; r < rounds; r++) {
    PARALLEL_MIN_WORK.productMacs = Infinity;
    PARALLEL_MIN_WORK.elements = Infinity;
    serial.push(time(run));
    PARALLEL_MIN_WORK.productMacs = 1;
    PARALLEL_MIN_WORK.elements = 1;
    parallel.push(time(run));
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  const [s, p] = [median(serial), median(parallel)];
  // NOTE: the fastest round too: on a machine shared with other work it is the round where both threads ran,
  // the closest this machine gets to a quiet one.
  const [sMin, pMin] = [Math.min(...serial), Math.min(...parallel)];
  console.log(
    `${label.padEnd(30)} work ${String(work).padStart(8)} | median: 1 thread ${s.toFixed(1).padStart(7)} µs, ${threads} threads ${p.toFixed(1).padStart(7)} µs, ×${(s / p).toFixed(2)}` +
      ` | fastest: ${sMin.toFixed(1).padStart(7)} µs, ${pMin.toFixed(1).padStart(7)} µs, ×${(sMin / pMin).toFixed(2)}`,
  );
}

console.log(`threads ${threads}, ${rounds} alternating rounds, medians`);
for (const size of [16, 32, 64, 128, 256, 784]) {
  const m = 32,
    n = size,
    k = size;
  const a = engine.allocF32(m * k),
    b = engine.allocF32(k * n),
    c = engine.allocF32(m * n);
  fill(a, m * k);
  fill(b, k * n);
  compare(`gemmNN 32×${n}×${k}`, m * n * k, () => kernels.gemmNN(m, n, k, a, b, c, 0));
  engine.free(a);
  engine.free(b);
  engine.free(c);
}
for (const count of [4096, 16384, 65536, 100352, 262144]) {
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
    kernels.activationBackward(1, count / 64, 64, 0, p, g, m1, 0),
  );
  for (const ptr of [p, g, m1, v]) engine.free(ptr);
}
process.exit(0);
