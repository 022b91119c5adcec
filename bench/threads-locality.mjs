// What the cache state of a training step costs the optimizer: Adam over the bench model's 109,386 weights on one
// thread and split over the pool, alone (repeated calls keep each thread's slice in its core's cache) and right
// after the first layer's forward (W read by 16-column strips, split) and dW (written by row bands, split), as in
// a step. Calls are kept only when the pool thread ran parts within 10 µs of the hand-off (both threads had a
// core; on a machine shared with other work most calls do not), then fastest tenth and median in µs.
//
//   node bench/threads-locality.mjs [calls=3000]
//
// NOTE: measured on the shared 2-core machine (session 4): alone, 56 µs on one thread and 31–40 µs split; after
// the split products, 129–141 µs on one thread and 77–78 µs split, as W's rows (updated by row ranges) and its
// 16-column strips (read by the forward) sit half in the other core's cache. ts/engine/threads/plan-product.ts
// says what would align them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const CALLS = Number(process.argv[2] ?? 3000);
const bundled = await esbuild.build({
  entryPoints: [fileURLToPath(new URL("./threads-internals.ts", import.meta.url))],
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
});
const dir = mkdtempSync(join(tmpdir(), "densa-threads-locality-"));
writeFileSync(join(dir, "internals.mjs"), bundled.outputFiles[0].text);
const densa = await import(pathToFileURL(join(dir, "internals.mjs")).href);
rmSync(dir, { recursive: true });

Object.assign(densa.POOL_BACKOFF_MS, { first: 0, max: 0 });
await densa.init({ threads: 2 });
const pool = densa.currentKernelVariant().pool;
pool.profiling = true;
const engine = densa.getEngine();
const kernels = engine.kernels;
const normalElements = densa.PARALLEL_MIN_WORK.elements;
const filled = (count) => {
  const ptr = engine.allocF32(count);
  engine.write(
    ptr,
    Float32Array.from({ length: count }, (_, i) => ((i * 7) % 13) / 13 - 0.4),
  );
  return ptr;
};
const COUNT = 109386;
const [param, grad, m, v] = [filled(COUNT), filled(COUNT), filled(COUNT), filled(COUNT)];
const [x, dy, z] = [filled(32 * 784), filled(32 * 128), filled(32 * 128)];

const worker = () => pool.profile()[1];
/** Whether the pool thread ran parts, within 10 µs of the hand-off, between two profile snapshots. */
const onCores = (before, after) => after.worked > before.worked && (after.lagMs - before.lagMs) * 1000 <= 10;
const adam = () => kernels.adamUpdate(param, grad, m, v, 0, COUNT, 1e-3, 0.9, 0.999, 1e-7, 5, 0, 0);

const times = { "alone, 1 thread": [], "alone, split": [], "in a step, 1 thread": [], "in a step, split": [] };
for (let call = 0; call < CALLS; call++) {
  for (const split of [false, true]) {
    densa.PARALLEL_MIN_WORK.elements = split ? normalElements : Number.POSITIVE_INFINITY;
    let before = worker();
    let start = performance.now();
    adam();
    let elapsed = (performance.now() - start) * 1000;
    if (!split || onCores(before, worker())) times[`alone, ${split ? "split" : "1 thread"}`].push(elapsed);

    densa.PARALLEL_MIN_WORK.elements = normalElements;
    const beforeProducts = worker();
    kernels.denseForward(32, 128, 784, x, param, 0, z, z, 0, 0);
    kernels.gemmTN(784, 128, 32, x, dy, grad, 0);
    const afterProducts = worker();
    densa.PARALLEL_MIN_WORK.elements = split ? normalElements : Number.POSITIVE_INFINITY;
    before = worker();
    start = performance.now();
    adam();
    elapsed = (performance.now() - start) * 1000;
    // NOTE: only where the products ran split with the pool thread too: the cache state of a step.
    if (onCores(beforeProducts, afterProducts) && (!split || onCores(before, worker())))
      times[`in a step, ${split ? "split" : "1 thread"}`].push(elapsed);
  }
}
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(values.length * q)];
console.log(`adamUpdate ${COUNT}, ${CALLS} calls each; µs`);
for (const [name, values] of Object.entries(times)) {
  console.log(
    `${name.padEnd(22)} calls kept ${String(values.length).padStart(5)}   fastest tenth ${quantile(values, 0.1)?.toFixed(1).padStart(7)}   median ${quantile(values, 0.5)?.toFixed(1).padStart(7)}`,
  );
}
process.exit(0);
