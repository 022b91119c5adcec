// Vector × matrix for a single row of A (batch-1 inference), B read in place: packing B would cost as much as
// the product when each B element is used once. (Two or three rows already run faster as 2×16 tiles.)
import { mulAdd } from "./gemm-kernel";

/** 32 zeros: the start values of a strip when there is no init (so every strip loads its start values). */
const zeros = memory.data(128, 16);

/**
 * One row of C from one row of A (a[p] at a + p·aStep) and B (k×n, row stride ldb) read in place:
 *   c[j] = init[j] + a[0]·B[0, j] + a[1]·B[1, j] + … — the same order as the tiles, so the same bits.
 *
 *   for j in n, step 32      strip32: 8 accumulators, B rows 128 bytes wide     (then at most one strip16,
 *     for p in k, step 2       two k steps an iteration (rows p and p + 1 of B)   one strip8, one 4-column
 *                                                                                 window, one for the last 1–3)
 *
 * NOTE: measured on V8 (Node 20, AMD EPYC Zen 5), 1×784×128 from L2, µs (load 5–15, medians):
 *   32-column strips, 8 accumulators, 2 k steps an iteration: 4.7–4.9   (this)
 *   16-column strips, 4 accumulators, 2 k steps (the previous form): 6.3–7.3
 *   16 columns, 1 k step: 6.4–7.2          32 columns, 1 k step or the unrolled 4 steps: 11–35 (!)
 *   B packed once into contiguous 32-column strips, 2 k steps: 4.5–4.7 (not worth a second copy of W)
 * The 8 independent add chains keep both add pipes busy where 4 could not (the add latency is on each chain),
 * and two k steps per iteration halve the loop overhead. Each strip is a function of its own, with its start
 * values always loaded (from `zeros` when there is no init): V8 schedules such a small loop with each load
 * next to its use, but in a bigger function (or with a zero-or-load start) it hoisted all 16 loads of the body
 * to its top and spilled accumulators (11 µs).
 * initMode as in gemm.ts's tile: 0 from zeros, 1 from C (accumulate), 2 from the bias row.
 */
export function rowTimesMatrix(
  n: i32, k: i32, a: usize, aStep: usize, b: usize, ldb: usize, c: usize, initMode: i32, bias: usize,
): void {
  const init = initMode == 2 ? bias : c;
  let j = 0;
  // NOTE: strip32 and strip16 read A contiguously (aStep 4: every caller but a thread's one-row block of a TN
  // product, whose A row is a column of a k×m matrix).
  if (aStep == 4) {
    for (; j + 32 <= n; j += 32) {
      const at = <usize>j << 2;
      strip32(k, a, b + at, ldb, c + at, initMode ? init + at : zeros);
    }
    if (j + 16 <= n) {
      const at = <usize>j << 2;
      strip16(k, a, b + at, ldb, c + at, initMode ? init + at : zeros);
      j += 16;
    }
  }
  // (With another A step, the 8-column strips do all the columns the wider ones would.)
  for (; j + 8 <= n; j += 8) {
    const at = <usize>j << 2;
    strip8(k, a, aStep, b + at, ldb, c + at, initMode ? init + at : zeros);
  }
  if (j + 4 <= n) {
    window4(k, a, aStep, b, ldb, c, init, initMode, j, 0);
    j += 4;
  }
  if (j < n && n >= 4) {
    // 1–3 last columns: the 4-column window that ends at column n − 1, storing only its last n − j lanes (the
    // others are columns done already; their lanes are computed again, not stored).
    window4(k, a, aStep, b, ldb, c, init, initMode, n - 4, j - (n - 4));
    j = n;
  }
  // Fewer than 4 columns in all: scalar, f32 mul then f32 add, exactly what each SIMD lane does.
  for (; j < n; j++) {
    const at = <usize>j << 2;
    let x: f32 = initMode ? load<f32>(init + at) : 0;
    let ap = a, bp = b + at;
    for (let p = 0; p < k; p++) {
      x += load<f32>(ap) * load<f32>(bp);
      ap += aStep;
      bp += ldb;
    }
    store<f32>(c + at, x);
  }
}

/** c[0..8] = from[0..8] + Σ_p a[p]·B[p, 0..8]: 2 accumulators, any A step. */
function strip8(k: i32, a: usize, aStep: usize, b: usize, ldb: usize, c: usize, from: usize): void {
  let x0 = v128.load(from), x1 = v128.load(from, 16);
  const end = a + <usize>k * aStep;
  while (a < end) {
    const s = v128.load32_splat(a);
    x0 = mulAdd(x0, s, v128.load(b));
    x1 = mulAdd(x1, s, v128.load(b, 16));
    a += aStep;
    b += ldb;
  }
  v128.store(c, x0);
  v128.store(c, x1, 16);
}

/**
 * Columns j..j+3 of the row in one accumulator, storing lanes `skip`..3 only. `init` is read for all four
 * lanes (for initMode 1 the skipped ones are finished columns, whose lanes are then not stored).
 */
function window4(
  k: i32, a: usize, aStep: usize, b: usize, ldb: usize, c: usize, init: usize, initMode: i32, j: i32, skip: i32,
): void {
  const at = <usize>j << 2;
  let x = initMode ? v128.load(init + at) : f32x4.splat(0);
  let bp = b + at;
  const end = a + <usize>k * aStep;
  while (a < end) {
    x = mulAdd(x, v128.load32_splat(a), v128.load(bp));
    a += aStep;
    bp += ldb;
  }
  const to = c + at;
  if (skip == 0) v128.store(to, x);
  else if (skip == 1) {
    v128.store32_lane(to, x, 1, 4);
    v128.store64_lane(to, x, 1, 8);
  } else if (skip == 2) v128.store64_lane(to, x, 1, 8);
  else v128.store32_lane(to, x, 3, 12);
}

/**
 * c[0..32] = from[0..32] + Σ_p a[p]·B[p, 0..32], B's strip starting at b (row stride ldb), A contiguous.
 * An odd k runs its first step alone, before the pairs (the same order: p = 0, then 1 and 2, …).
 */
function strip32(k: i32, a: usize, b: usize, ldb: usize, c: usize, from: usize): void {
  let x0 = v128.load(from), x1 = v128.load(from, 16), x2 = v128.load(from, 32), x3 = v128.load(from, 48);
  let x4 = v128.load(from, 64), x5 = v128.load(from, 80), x6 = v128.load(from, 96), x7 = v128.load(from, 112);
  let ap = a, bp = b;
  const end = a + (<usize>k << 2);
  if (k & 1) {
    const s = v128.load32_splat(ap);
    x0 = mulAdd(x0, s, v128.load(bp)); x1 = mulAdd(x1, s, v128.load(bp, 16));
    x2 = mulAdd(x2, s, v128.load(bp, 32)); x3 = mulAdd(x3, s, v128.load(bp, 48));
    x4 = mulAdd(x4, s, v128.load(bp, 64)); x5 = mulAdd(x5, s, v128.load(bp, 80));
    x6 = mulAdd(x6, s, v128.load(bp, 96)); x7 = mulAdd(x7, s, v128.load(bp, 112));
    ap += 4;
    bp += ldb;
  }
  while (ap < end) {
    let s = v128.load32_splat(ap);
    x0 = mulAdd(x0, s, v128.load(bp)); x1 = mulAdd(x1, s, v128.load(bp, 16));
    x2 = mulAdd(x2, s, v128.load(bp, 32)); x3 = mulAdd(x3, s, v128.load(bp, 48));
    x4 = mulAdd(x4, s, v128.load(bp, 64)); x5 = mulAdd(x5, s, v128.load(bp, 80));
    x6 = mulAdd(x6, s, v128.load(bp, 96)); x7 = mulAdd(x7, s, v128.load(bp, 112));
    const bNext = bp + ldb;
    s = v128.load32_splat(ap, 4);
    x0 = mulAdd(x0, s, v128.load(bNext)); x1 = mulAdd(x1, s, v128.load(bNext, 16));
    x2 = mulAdd(x2, s, v128.load(bNext, 32)); x3 = mulAdd(x3, s, v128.load(bNext, 48));
    x4 = mulAdd(x4, s, v128.load(bNext, 64)); x5 = mulAdd(x5, s, v128.load(bNext, 80));
    x6 = mulAdd(x6, s, v128.load(bNext, 96)); x7 = mulAdd(x7, s, v128.load(bNext, 112));
    ap += 8;
    bp = bNext + ldb;
  }
  v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
  v128.store(c, x4, 64); v128.store(c, x5, 80); v128.store(c, x6, 96); v128.store(c, x7, 112);
}

/** c[0..16] = from[0..16] + Σ_p a[p]·B[p, 0..16], as strip32 with 4 accumulators. */
function strip16(k: i32, a: usize, b: usize, ldb: usize, c: usize, from: usize): void {
  let x0 = v128.load(from), x1 = v128.load(from, 16), x2 = v128.load(from, 32), x3 = v128.load(from, 48);
  let ap = a, bp = b;
  const end = a + (<usize>k << 2);
  if (k & 1) {
    const s = v128.load32_splat(ap);
    x0 = mulAdd(x0, s, v128.load(bp)); x1 = mulAdd(x1, s, v128.load(bp, 16));
    x2 = mulAdd(x2, s, v128.load(bp, 32)); x3 = mulAdd(x3, s, v128.load(bp, 48));
    ap += 4;
    bp += ldb;
  }
  while (ap < end) {
    let s = v128.load32_splat(ap);
    x0 = mulAdd(x0, s, v128.load(bp)); x1 = mulAdd(x1, s, v128.load(bp, 16));
    x2 = mulAdd(x2, s, v128.load(bp, 32)); x3 = mulAdd(x3, s, v128.load(bp, 48));
    const bNext = bp + ldb;
    s = v128.load32_splat(ap, 4);
    x0 = mulAdd(x0, s, v128.load(bNext)); x1 = mulAdd(x1, s, v128.load(bNext, 16));
    x2 = mulAdd(x2, s, v128.load(bNext, 32)); x3 = mulAdd(x3, s, v128.load(bNext, 48));
    ap += 8;
    bp = bNext + ldb;
  }
  v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
}
