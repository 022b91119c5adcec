// Shared pieces of the optimizer kernels. Not re-exported: nothing here is a kernel.
//
// Conventions every update kernel follows (Keras 3, keras/src/optimizers/*.py and base_optimizer.py):
// - `step` is Keras's local step, `iterations + 1`: 1 on the first update.
// - Scalars reach the kernel as f32, the variable dtype Keras casts them to; coefficients such as 1 - β
//   are formed here in f32. NOTE: Keras forms `1 - self.beta_1` from the Python double and rounds once,
//   we get β already rounded; for β in [0.5, 1] our 1 - β is exact on that f32 β, so the two differ by at
//   most one ulp of 1 - β. Powers β^t are the f32 nearest β^t (see powerF32).
// - Decoupled weight decay (Keras's `_apply_weight_decay`, run on every variable before `update_step`):
//   w ← w - w·wd·lr. Every update kernel takes `weightDecay` and applies it first, element by element,
//   which is bit-identical to a separate pass because each element only ever sees its own value.
//   weightDecay == 0 skips it (Keras: weight_decay=None), so ±Inf weights are not turned into NaN.
// - The SIMD main loop and the scalar tail perform the same IEEE operations in the same order per element
//   (wasm has no implicit FMA), so an element's result never depends on its position.

/**
 * β^step as the f32 Keras computes with `ops.power(cast(β, f32), cast(step, f32))`, step ≥ 0.
 * NOTE: by squaring in f64 from the exact f32 base, then rounded once to f32. The f64 product's relative
 * error stays below step·2⁻⁵³, so the result is the correctly rounded f32 power (at worst one ulp off
 * after millions of steps), in plain multiplies: the same bits in every runtime, and unlike Math.pow no
 * 7 KB of log/exp tables in the binary.
 */
// @ts-ignore: decorator
@inline export function powerF32(base: f32, step: i32): f32 {
  let result: f64 = 1, square: f64 = <f64>base;
  for (let e = step; e > 0; e >>= 1) {
    if (e & 1) result *= square;
    square *= square;
  }
  return <f32>result;
}

/** w - w·wd·lr, Keras's `variable - variable * wd * lr`, four lanes. */
// @ts-ignore: decorator
@inline export function decayV(w: v128, weightDecay: v128, learningRate: v128): v128 {
  return f32x4.sub(w, f32x4.mul(f32x4.mul(w, weightDecay), learningRate));
}

/** Scalar twin of decayV. */
// @ts-ignore: decorator
@inline export function decayS(w: f32, weightDecay: f32, learningRate: f32): f32 {
  return w - w * weightDecay * learningRate;
}

/** Byte offset of float index i. */
// @ts-ignore: decorator
@inline export function at(i: i32): usize {
  return <usize>i << 2;
}

/**
 * Σ x² in f64 (the square of an f32 is exact in f64), in an order fixed by `count` alone: two f64x2
 * accumulators over blocks of four, lanes folded 0 + 1, then the tail in index order.
 */
// @ts-ignore: decorator
@inline export function sumOfSquaresF64(ptr: usize, count: i32): f64 {
  let accLow = f64x2.splat(0), accHigh = f64x2.splat(0);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    const x = v128.load(ptr + at(i));
    const low = f64x2.promote_low_f32x4(x);
    const high = f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1));
    accLow = f64x2.add(accLow, f64x2.mul(low, low));
    accHigh = f64x2.add(accHigh, f64x2.mul(high, high));
  }
  const acc = f64x2.add(accLow, accHigh);
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < count; i++) {
    const x = <f64>load<f32>(ptr + at(i));
    sum += x * x;
  }
  return sum;
}

/** Σ |x| over `count` floats, accumulated like sumOfSquaresF64. */
// @ts-ignore: decorator
@inline export function sumOfAbsF64(ptr: usize, count: i32): f64 {
  let accLow = f64x2.splat(0), accHigh = f64x2.splat(0);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    const x = f32x4.abs(v128.load(ptr + at(i)));
    accLow = f64x2.add(accLow, f64x2.promote_low_f32x4(x));
    accHigh = f64x2.add(accHigh, f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)));
  }
  const acc = f64x2.add(accLow, accHigh);
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < count; i++) sum += <f64>abs<f32>(load<f32>(ptr + at(i)));
  return sum;
}
