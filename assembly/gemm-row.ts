// Vector × matrix for a single row of A (batch-1 inference), B read in place: packing B would cost as much as
// the product when each B element is used once. (Two or three rows already run faster as 2×16 tiles.)
import { mulAdd } from "./gemm-kernel";

/**
 * One row of C from one row of A (a[p] at a + p·aStep) and B (k×n, row stride ldb) read in place:
 *   c[j] = init[j] + a[0]·B[0, j] + a[1]·B[1, j] + … — the same order as the tiles, so the same bits.
 * 16 columns at a time in 4 accumulators, then 4, then 1. NOTE: measured on V8 (Node 20, Zen 4), 1×784×128:
 * 16-column strips run at ~25–29 GFLOP/s where 32-column strips in 8 accumulators ran at ~19 — V8 keeps the
 * smaller loop's accumulators, splat and pointers in registers. Two k steps an iteration: 8.5 → 7.4 µs
 * (EPYC, Node 20, B 64-byte aligned; four steps: 7.6, one step with a pointer-only loop: 7.9).
 * initMode as in computeTile.
 */
export function rowTimesMatrix(
  n: i32, k: i32, a: usize, aStep: usize, b: usize, ldb: usize, c: usize, initMode: i32, bias: usize,
): void {
  const init = initMode == 2 ? bias : c;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const at = <usize>j << 2;
    let x0 = f32x4.splat(0), x1 = x0, x2 = x0, x3 = x0;
    if (initMode) {
      const from = init + at;
      x0 = v128.load(from); x1 = v128.load(from, 16); x2 = v128.load(from, 32); x3 = v128.load(from, 48);
    }
    // Two k steps an iteration (the second row of B is bp + ldb), then the odd one: the same order as one
    // step at a time (p, then p + 1), with half the loop overhead.
    let ap = a, bp = b + at;
    let p = 0;
    for (; p + 2 <= k; p += 2) {
      let s = v128.load32_splat(ap);
      x0 = mulAdd(x0, s, v128.load(bp));
      x1 = mulAdd(x1, s, v128.load(bp, 16));
      x2 = mulAdd(x2, s, v128.load(bp, 32));
      x3 = mulAdd(x3, s, v128.load(bp, 48));
      const bNext = bp + ldb;
      s = v128.load32_splat(ap + aStep);
      x0 = mulAdd(x0, s, v128.load(bNext));
      x1 = mulAdd(x1, s, v128.load(bNext, 16));
      x2 = mulAdd(x2, s, v128.load(bNext, 32));
      x3 = mulAdd(x3, s, v128.load(bNext, 48));
      ap += aStep << 1;
      bp = bNext + ldb;
    }
    if (p < k) {
      const s = v128.load32_splat(ap);
      x0 = mulAdd(x0, s, v128.load(bp));
      x1 = mulAdd(x1, s, v128.load(bp, 16));
      x2 = mulAdd(x2, s, v128.load(bp, 32));
      x3 = mulAdd(x3, s, v128.load(bp, 48));
    }
    const to = c + at;
    v128.store(to, x0); v128.store(to, x1, 16); v128.store(to, x2, 32); v128.store(to, x3, 48);
  }
  for (; j + 4 <= n; j += 4) {
    const at = <usize>j << 2;
    let x = initMode ? v128.load(init + at) : f32x4.splat(0);
    let ap = a, bp = b + at;
    for (let p = 0; p < k; p++) {
      x = mulAdd(x, v128.load32_splat(ap), v128.load(bp));
      ap += aStep;
      bp += ldb;
    }
    v128.store(c + at, x);
  }
  // Scalar tail: f32 mul then f32 add, exactly what each SIMD lane does.
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
