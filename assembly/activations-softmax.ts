// Row-wise softmax and log-softmax over a rows×cols row-major matrix, and their Jacobian-vector products.
//
// Numerically stable form (as every framework computes it): with m = max_j x_j,
//   softmax_i     = exp(x_i - m) / Σ_j exp(x_j - m)
//   log_softmax_i = (x_i - m) - log Σ_j exp(x_j - m)
// Every exponent is <= 0, so nothing overflows and the largest term is exactly 1 (the sum is >= 1).
// A NaN anywhere in a row, or +inf, makes the whole row NaN (as in TF / tfjs).
//
// Memory per row, cols = 7:  | v0 v1 v2 v3 | v4 v5 v6 |   one f32x4 body vector, then a 3-element tail.
// Each pass handles the body with f32x4 and the tail by splatting into lane 0 of the same lane function.
// In place (y == x, dz == dy) is safe: every pass reads an element before it writes the same element.

import { expV } from "./math-exp";
import { logV } from "./math-log";

@inline function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

@inline function horizontalMax(v: v128): f32 {
  const pairs = f32x4.max(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return max(f32x4.extract_lane(pairs, 0), f32x4.extract_lane(pairs, 1));
}

@inline function expLane(x: f32): f32 {
  return f32x4.extract_lane(expV(f32x4.splat(x)), 0);
}

/** max of cols floats at row (NaN if any is NaN: wasm min/max propagate NaN). */
@inline function rowMax(row: usize, cols: i32): f32 {
  const body = cols & ~3;
  let best = f32x4.splat(-Infinity);
  let i = 0;
  for (; i < body; i += 4) best = f32x4.max(best, v128.load(row + (<usize>i << 2)));
  let m = horizontalMax(best);
  for (; i < cols; i++) m = max(m, load<f32>(row + (<usize>i << 2)));
  return m;
}

/** Σ exp(x_j - m); stores exp(x_j - m) into out when `keep` (softmax), not for log-softmax. */
@inline function sumShiftedExp(row: usize, out: usize, cols: i32, m: f32, keep: bool): f32 {
  const body = cols & ~3;
  const shift = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i < body; i += 4) {
    const offset = <usize>i << 2;
    const e = expV(f32x4.sub(v128.load(row + offset), shift));
    if (keep) v128.store(out + offset, e);
    acc = f32x4.add(acc, e);
  }
  let sum = horizontalSum(acc);
  for (; i < cols; i++) {
    const offset = <usize>i << 2;
    const e = expLane(load<f32>(row + offset) - m);
    if (keep) store<f32>(out + offset, e);
    sum += e;
  }
  return sum;
}

export function softmaxRows(rows: i32, cols: i32, x: usize, y: usize): void {
  const stride = <usize>cols << 2;
  const body = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const xRow = x + <usize>r * stride;
    const yRow = y + <usize>r * stride;
    const m = rowMax(xRow, cols);
    const sum = sumShiftedExp(xRow, yRow, cols, m, true);
    // Divide rather than multiply by 1/sum: one rounding per element instead of two.
    const total = f32x4.splat(sum);
    let i = 0;
    for (; i < body; i += 4) {
      const offset = <usize>i << 2;
      v128.store(yRow + offset, f32x4.div(v128.load(yRow + offset), total));
    }
    for (; i < cols; i++) {
      const offset = <usize>i << 2;
      store<f32>(yRow + offset, load<f32>(yRow + offset) / sum);
    }
  }
}

export function logSoftmaxRows(rows: i32, cols: i32, x: usize, y: usize): void {
  const stride = <usize>cols << 2;
  const body = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const xRow = x + <usize>r * stride;
    const yRow = y + <usize>r * stride;
    const m = rowMax(xRow, cols);
    const logSum = f32x4.extract_lane(logV(f32x4.splat(sumShiftedExp(xRow, yRow, cols, m, false))), 0);
    const shift = f32x4.splat(m);
    const lse = f32x4.splat(logSum);
    let i = 0;
    for (; i < body; i += 4) {
      const offset = <usize>i << 2;
      v128.store(yRow + offset, f32x4.sub(f32x4.sub(v128.load(xRow + offset), shift), lse));
    }
    for (; i < cols; i++) {
      const offset = <usize>i << 2;
      store<f32>(yRow + offset, (load<f32>(xRow + offset) - m) - logSum);
    }
  }
}

/** Σ_j a_j·b_j over one row. */
@inline function rowDot(a: usize, b: usize, cols: i32): f32 {
  const body = cols & ~3;
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i < body; i += 4) {
    const offset = <usize>i << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + offset), v128.load(b + offset)));
  }
  let sum = horizontalSum(acc);
  for (; i < cols; i++) sum += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  return sum;
}

/** Σ_j a_j over one row. */
@inline function rowSum(a: usize, cols: i32): f32 {
  const body = cols & ~3;
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i < body; i += 4) acc = f32x4.add(acc, v128.load(a + (<usize>i << 2)));
  let sum = horizontalSum(acc);
  for (; i < cols; i++) sum += load<f32>(a + (<usize>i << 2));
  return sum;
}

/** softmax JVP: dz_i = y_i·(dy_i - Σ_j dy_j·y_j). Needs only y. */
export function softmaxRowsBackward(rows: i32, cols: i32, y: usize, dy: usize, dz: usize): void {
  const stride = <usize>cols << 2;
  const body = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const rowOffset = <usize>r * stride;
    const yRow = y + rowOffset, dyRow = dy + rowOffset, dzRow = dz + rowOffset;
    const dot = rowDot(yRow, dyRow, cols);
    const dotV = f32x4.splat(dot);
    let i = 0;
    for (; i < body; i += 4) {
      const offset = <usize>i << 2;
      const g = f32x4.sub(v128.load(dyRow + offset), dotV);
      v128.store(dzRow + offset, f32x4.mul(v128.load(yRow + offset), g));
    }
    for (; i < cols; i++) {
      const offset = <usize>i << 2;
      store<f32>(dzRow + offset, load<f32>(yRow + offset) * (load<f32>(dyRow + offset) - dot));
    }
  }
}

/** log-softmax JVP: dz_i = dy_i - exp(y_i)·Σ_j dy_j (exp(y_i) is the softmax). Needs only y. */
export function logSoftmaxRowsBackward(rows: i32, cols: i32, y: usize, dy: usize, dz: usize): void {
  const stride = <usize>cols << 2;
  const body = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const rowOffset = <usize>r * stride;
    const yRow = y + rowOffset, dyRow = dy + rowOffset, dzRow = dz + rowOffset;
    const total = rowSum(dyRow, cols);
    const totalV = f32x4.splat(total);
    let i = 0;
    for (; i < body; i += 4) {
      const offset = <usize>i << 2;
      const p = expV(v128.load(yRow + offset));
      v128.store(dzRow + offset, f32x4.sub(v128.load(dyRow + offset), f32x4.mul(p, totalV)));
    }
    for (; i < cols; i++) {
      const offset = <usize>i << 2;
      store<f32>(dzRow + offset, load<f32>(dyRow + offset) - expLane(load<f32>(yRow + offset)) * total);
    }
  }
}
