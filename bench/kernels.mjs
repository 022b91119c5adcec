// GEMM throughput: densa's kernels (build/densa.wasm, instantiated directly) against
// @tensorflow/tfjs-backend-wasm's tf.matMul on the same shapes and transposes, in the same process.
//
//   npm run bench:kernels            (builds first)       node bench/kernels.mjs [--quick]
//
// Method: each case warms both sides up (V8 tiers wasm up from Liftoff to TurboFan), then alternates timed
// blocks densa, tfjs, densa, tfjs, … so that load from other processes hits both alike; a block repeats the
// product enough times to last ≥ ~4 ms. The figure is the median block. For tfjs a block includes one
// dataSync() of its last result (the wasm backend is synchronous, so this only reads back) and the disposal
// of every output. FLOPs are counted as 2·m·n·k.
//
// NOTE on fairness: tfjs-wasm runs NN through XNNPACK and caches the operator, with B already packed, per B
// tensor; the bench reuses its tensors, so tfjs never pays for packing B while densa packs B on every call
// (as a training step must, since W changes each step). Its transposed forms fall back to a scalar loop.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

const quick = process.argv.includes("--quick");
const blocksArg = process.argv.find((arg) => arg.startsWith("--blocks="));
const BLOCKS = blocksArg ? Number(blocksArg.slice(9)) : quick ? 7 : 21;
const BLOCK_MS = 4;

// ---- densa: instantiate the release build directly; a bump allocator above its static data ----
const wasmPath = fileURLToPath(new URL("../build/densa.wasm", import.meta.url));
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const densa = instance.exports;
let top = (densa.heapBase() + 15) & ~15;
function alloc(floats) {
  const ptr = top;
  top = (top + floats * 4 + 15) & ~15;
  const need = top - densa.memory.buffer.byteLength;
  if (need > 0) densa.memory.grow(Math.ceil(need / 65536));
  return ptr;
}
const putF32 = (ptr, values) => new Float32Array(densa.memory.buffer, ptr, values.length).set(values);
const getF32 = (ptr, count) => new Float32Array(densa.memory.buffer, ptr, count).slice();

// ---- tfjs-wasm ----
await tf.setBackend("wasm");
await tf.ready();
const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
const binary = threads
  ? simd
    ? "tfjs-backend-wasm-threaded-simd.wasm"
    : "tfjs-backend-wasm.wasm (threads)"
  : simd
    ? "tfjs-backend-wasm-simd.wasm"
    : "tfjs-backend-wasm.wasm";

function random(count, seed) {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const FORMS = {
  NN: { kernel: "gemmNN", transposeA: false, transposeB: false },
  NT: { kernel: "gemmNT", transposeA: false, transposeB: true },
  TN: { kernel: "gemmTN", transposeA: true, transposeB: false },
};

const cases = [
  { label: "512×512×512", form: "NN", m: 512, n: 512, k: 512 },
  { label: "512×512×512", form: "NT", m: 512, n: 512, k: 512 },
  { label: "512×512×512", form: "TN", m: 512, n: 512, k: 512 },
  { label: "fwd X·W 32×784·784×128", form: "NN", m: 32, n: 128, k: 784 },
  { label: "dW Xᵀ·dY 784×32·32×128", form: "TN", m: 784, n: 128, k: 32 },
  { label: "dX dY·Wᵀ 32×128·128×784", form: "NT", m: 32, n: 784, k: 128 },
];

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[sorted.length >> 1];
}

function timeBlock(fn, reps) {
  const start = performance.now();
  for (let r = 0; r < reps; r++) fn(r === reps - 1);
  return (performance.now() - start) / reps;
}

const rows = [];
for (const { label, form, m, n, k } of cases) {
  const { kernel, transposeA, transposeB } = FORMS[form];
  const aShape = transposeA ? [k, m] : [m, k];
  const bShape = transposeB ? [n, k] : [k, n];
  const aData = random(m * k, 1 + m);
  const bData = random(k * n, 2 + n);
  const a = alloc(m * k),
    b = alloc(k * n),
    c = alloc(m * n);
  putF32(a, aData);
  putF32(b, bData);
  const runDensa = () => densa[kernel](m, n, k, a, b, c, 0);
  const ta = tf.tensor2d(aData, aShape);
  const tb = tf.tensor2d(bData, bShape);
  const runTf = (last) => {
    const out = tf.matMul(ta, tb, transposeA, transposeB);
    if (last) out.dataSync();
    out.dispose();
  };

  // Same answer? (different summation orders, so compare relative to the scale of the products)
  runDensa();
  const ours = getF32(c, m * n);
  const theirs = tf.tidy(() => tf.matMul(ta, tb, transposeA, transposeB).dataSync());
  let worst = 0;
  for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
  if (!(worst <= 1e-4 * k)) throw new Error(`${label} ${form}: densa and tfjs differ by ${worst}`);

  // Warm-up, then size the blocks.
  const flop = 2 * m * n * k;
  for (const run of [runDensa, runTf]) {
    const until = performance.now() + (quick ? 150 : 400);
    while (performance.now() < until) run(true);
  }
  const repsFor = (run) => Math.max(1, Math.ceil(BLOCK_MS / timeBlock(run, 3)));
  const densaReps = repsFor(runDensa);
  const tfReps = repsFor(runTf);
  const densaMs = [],
    tfMs = [];
  for (let i = 0; i < BLOCKS; i++) {
    densaMs.push(timeBlock(runDensa, densaReps));
    tfMs.push(timeBlock(runTf, tfReps));
  }
  const densaGflops = flop / median(densaMs) / 1e6;
  const tfGflops = flop / median(tfMs) / 1e6;
  const densaBest = flop / Math.min(...densaMs) / 1e6;
  const tfBest = flop / Math.min(...tfMs) / 1e6;
  rows.push({ label, form, densaGflops, tfGflops, densaBest, tfBest, densaMs: median(densaMs), tfMs: median(tfMs) });
  ta.dispose();
  tb.dispose();
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(
  `densa GEMM vs tfjs-wasm ${tf.version.tfjs} (${binary}; WASM_HAS_SIMD_SUPPORT=${simd}, ` +
    `WASM_HAS_MULTITHREAD_SUPPORT=${threads}) — Node ${process.version}, ${cpu}`,
);
console.log(
  `GFLOP/s = 2·m·n·k / time; median of ${BLOCKS} interleaved blocks of ≥ ${BLOCK_MS} ms each ` +
    `(best block in brackets); load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}\n`,
);
const header = ["shape", "form", "densa GFLOP/s", "tfjs-wasm GFLOP/s", "ratio", "densa ms", "tfjs ms"];
const table = rows.map((r) => [
  r.label,
  r.form,
  `${r.densaGflops.toFixed(1)} [${r.densaBest.toFixed(1)}]`,
  `${r.tfGflops.toFixed(1)} [${r.tfBest.toFixed(1)}]`,
  `${(r.densaGflops / r.tfGflops).toFixed(2)}×`,
  r.densaMs.toFixed(3),
  r.tfMs.toFixed(3),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(line(row));
