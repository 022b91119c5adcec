// Weight constraints, applied to a weight after each optimizer update (Keras 3
// keras/src/constraints/constraints.py). Norm constraints take Keras's default axis=0 on a Dense kernel of
// shape inputs × units stored row-major as `rows × cols`: one norm per column (per unit), over its rows.
// A bias or any 1-D weight is `rows = count, cols = 1`.
//
// Layout and order: columns are walked in blocks of 16 (four f32x4 lanes), then 4, then one at a time,
// and each column's Σw² runs over its rows in order in f32 (Keras's dtype). Every path performs the same
// operations per column, so a column's result does not depend on which path it fell into. Blocks of 16
// floats are one 64-byte cache line per row, so the strided walk down the rows wastes no fetched bytes.
import { at } from "./optimizers-common";

// Keras backend.epsilon(), as f32.
const NORM_EPSILON: f32 = 1e-7;

const MODE_MAX_NORM = 0;
const MODE_UNIT_NORM = 1;
const MODE_MIN_MAX_NORM = 2;

// Per-column factor for the multiplicative constraints; unit norm divides instead (see below).
// clip(x, lo, hi) is max(min(x, hi), lo), tf.clip_by_value's order.
// @ts-ignore: decorator
@inline function factorV(mode: i32, norms: v128, minValue: f32, maxValue: f32, rate: f32): v128 {
  let desired: v128;
  if (mode == MODE_MAX_NORM) {
    desired = f32x4.max(f32x4.min(norms, f32x4.splat(maxValue)), f32x4.splat(0));
  } else {
    // Keras: rate·clip(norms, min, max) + (1 - rate)·norms
    const clipped = f32x4.max(f32x4.min(norms, f32x4.splat(maxValue)), f32x4.splat(minValue));
    desired = f32x4.add(f32x4.mul(f32x4.splat(rate), clipped), f32x4.mul(f32x4.splat(<f32>1 - rate), norms));
  }
  return f32x4.div(desired, f32x4.add(f32x4.splat(NORM_EPSILON), norms));
}

// @ts-ignore: decorator
@inline function factorS(mode: i32, norm: f32, minValue: f32, maxValue: f32, rate: f32): f32 {
  let desired: f32;
  if (mode == MODE_MAX_NORM) {
    desired = max<f32>(min<f32>(norm, maxValue), 0);
  } else {
    desired = rate * max<f32>(min<f32>(norm, maxValue), minValue) + (<f32>1 - rate) * norm;
  }
  return desired / (NORM_EPSILON + norm);
}

// Columns [col, col + 4): one vector of norms.
// @ts-ignore: decorator
@inline function columnsOfFour(
  mode: i32, w: usize, rows: i32, cols: i32, col: i32, minValue: f32, maxValue: f32, rate: f32,
): void {
  const stride = at(cols);
  let p = w + at(col);
  let sum = f32x4.splat(0);
  for (let r = 0; r < rows; r++, p += stride) {
    const x = v128.load(p);
    sum = f32x4.add(sum, f32x4.mul(x, x));
  }
  const norms = f32x4.sqrt(sum);
  p = w + at(col);
  if (mode == MODE_UNIT_NORM) {
    // Keras: w / (ε + norms), a division per element.
    const denominator = f32x4.add(f32x4.splat(NORM_EPSILON), norms);
    for (let r = 0; r < rows; r++, p += stride) v128.store(p, f32x4.div(v128.load(p), denominator));
  } else {
    const factor = factorV(mode, norms, minValue, maxValue, rate);
    for (let r = 0; r < rows; r++, p += stride) v128.store(p, f32x4.mul(v128.load(p), factor));
  }
}

// @ts-ignore: decorator
@inline function columnsOfSixteen(
  mode: i32, w: usize, rows: i32, cols: i32, col: i32, minValue: f32, maxValue: f32, rate: f32,
): void {
  const stride = at(cols);
  let p = w + at(col);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  for (let r = 0; r < rows; r++, p += stride) {
    const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
    s0 = f32x4.add(s0, f32x4.mul(x0, x0));
    s1 = f32x4.add(s1, f32x4.mul(x1, x1));
    s2 = f32x4.add(s2, f32x4.mul(x2, x2));
    s3 = f32x4.add(s3, f32x4.mul(x3, x3));
  }
  const n0 = f32x4.sqrt(s0), n1 = f32x4.sqrt(s1), n2 = f32x4.sqrt(s2), n3 = f32x4.sqrt(s3);
  const unit = mode == MODE_UNIT_NORM;
  const eps = f32x4.splat(NORM_EPSILON);
  const f0 = unit ? f32x4.add(eps, n0) : factorV(mode, n0, minValue, maxValue, rate);
  const f1 = unit ? f32x4.add(eps, n1) : factorV(mode, n1, minValue, maxValue, rate);
  const f2 = unit ? f32x4.add(eps, n2) : factorV(mode, n2, minValue, maxValue, rate);
  const f3 = unit ? f32x4.add(eps, n3) : factorV(mode, n3, minValue, maxValue, rate);
  p = w + at(col);
  for (let r = 0; r < rows; r++, p += stride) {
    if (unit) {
      v128.store(p, f32x4.div(v128.load(p), f0));
      v128.store(p, f32x4.div(v128.load(p, 16), f1), 16);
      v128.store(p, f32x4.div(v128.load(p, 32), f2), 32);
      v128.store(p, f32x4.div(v128.load(p, 48), f3), 48);
    } else {
      v128.store(p, f32x4.mul(v128.load(p), f0));
      v128.store(p, f32x4.mul(v128.load(p, 16), f1), 16);
      v128.store(p, f32x4.mul(v128.load(p, 32), f2), 32);
      v128.store(p, f32x4.mul(v128.load(p, 48), f3), 48);
    }
  }
}

// @ts-ignore: decorator
@inline function oneColumn(
  mode: i32, w: usize, rows: i32, cols: i32, col: i32, minValue: f32, maxValue: f32, rate: f32,
): void {
  const stride = at(cols);
  let p = w + at(col);
  let sum: f32 = 0;
  for (let r = 0; r < rows; r++, p += stride) {
    const x = load<f32>(p);
    sum += x * x;
  }
  const norm = Mathf.sqrt(sum);
  p = w + at(col);
  if (mode == MODE_UNIT_NORM) {
    const denominator = NORM_EPSILON + norm;
    for (let r = 0; r < rows; r++, p += stride) store<f32>(p, load<f32>(p) / denominator);
  } else {
    const factor = factorS(mode, norm, minValue, maxValue, rate);
    for (let r = 0; r < rows; r++, p += stride) store<f32>(p, load<f32>(p) * factor);
  }
}

function applyColumnNorm(mode: i32, w: usize, rows: i32, cols: i32, minValue: f32, maxValue: f32, rate: f32): void {
  let col = 0;
  for (; col + 16 <= cols; col += 16) columnsOfSixteen(mode, w, rows, cols, col, minValue, maxValue, rate);
  for (; col + 4 <= cols; col += 4) columnsOfFour(mode, w, rows, cols, col, minValue, maxValue, rate);
  for (; col < cols; col++) oneColumn(mode, w, rows, cols, col, minValue, maxValue, rate);
}

/** Keras MaxNorm(max_value, axis=0): w ← w · clip(‖w_col‖, 0, maxValue) / (ε + ‖w_col‖), ε = 1e-7. */
export function maxNormConstraint(w: usize, rows: i32, cols: i32, maxValue: f32): void {
  applyColumnNorm(MODE_MAX_NORM, w, rows, cols, 0, maxValue, 1);
}

/** Keras UnitNorm(axis=0): w ← w / (ε + ‖w_col‖). */
export function unitNormConstraint(w: usize, rows: i32, cols: i32): void {
  applyColumnNorm(MODE_UNIT_NORM, w, rows, cols, 0, 0, 1);
}

/**
 * Keras MinMaxNorm(min_value, max_value, rate, axis=0):
 * w ← w · (rate·clip(‖w_col‖, min, max) + (1 - rate)·‖w_col‖) / (ε + ‖w_col‖).
 */
export function minMaxNormConstraint(w: usize, rows: i32, cols: i32, minValue: f32, maxValue: f32, rate: f32): void {
  applyColumnNorm(MODE_MIN_MAX_NORM, w, rows, cols, minValue, maxValue, rate);
}

/** Keras NonNeg: w ← max(w, 0). */
export function nonNegConstraint(w: usize, count: i32): void {
  const zero = f32x4.splat(0);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) v128.store(w + at(i), f32x4.max(v128.load(w + at(i)), zero));
  for (; i < count; i++) store<f32>(w + at(i), max<f32>(load<f32>(w + at(i)), 0));
}
