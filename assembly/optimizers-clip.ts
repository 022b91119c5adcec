// Gradient clipping as Keras 3's base optimizer applies it before weight decay and the update
// (keras/src/optimizers/base_optimizer.py, `_clip_gradients`). At most one of the three is set:
//   clipnorm:        per gradient tensor, clipByNorm(g, count, clipnorm)
//                    = g·clipnorm / max(‖g‖, clipnorm)   (Keras `_clip_by_norm`; ‖g‖ = 0 leaves g as is)
//   global_clipnorm: total = Σ over every gradient tensor of sumOfSquares(g, count) (summed in tensor
//                    order), factor = globalNormScale(total, global_clipnorm), then scaleInPlace(g, count,
//                    factor) for every gradient (Keras `clip_by_global_norm`)
//   clipvalue:       clipByValue(g, count, -clipvalue, clipvalue)
import { at, sumOfSquaresF64 } from "./optimizers-common";

/**
 * Σ x² over `count` floats, rounded once to f32. NOTE: accumulated in f64 in an order fixed by `count`
 * alone (see sumOfSquaresF64), so it is deterministic and far more accurate than an f32 running sum.
 */
export function sumOfSquares(ptr: usize, count: i32): f32 {
  return <f32>sumOfSquaresF64(ptr, count);
}

/** x ← x·factor over `count` floats. */
export function scaleInPlace(ptr: usize, count: i32, factor: f32): void {
  const factorV = f32x4.splat(factor);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) v128.store(ptr + at(i), f32x4.mul(v128.load(ptr + at(i)), factorV));
  for (; i < count; i++) store<f32>(ptr + at(i), load<f32>(ptr + at(i)) * factor);
}

/** x ← max(min(x, high), low) (tf.clip_by_value's order; NaN stays NaN). */
export function clipByValue(ptr: usize, count: i32, low: f32, high: f32): void {
  const lowV = f32x4.splat(low), highV = f32x4.splat(high);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    v128.store(ptr + at(i), f32x4.max(f32x4.min(v128.load(ptr + at(i)), highV), lowV));
  }
  for (; i < count; i++) store<f32>(ptr + at(i), max<f32>(min<f32>(load<f32>(ptr + at(i)), high), low));
}

/**
 * Keras `_clip_by_norm` on one gradient tensor: g ← g·clipNorm / max(‖g‖, clipNorm), with ‖g‖ = 0 when
 * Σg² is 0 (Keras's two-tap `where`, there to keep autodiff away from √0). The division stays per
 * element, as Keras writes it, rather than one multiply by a precomputed ratio.
 */
export function clipByNorm(ptr: usize, count: i32, clipNorm: f32): void {
  const sumSquares = sumOfSquares(ptr, count);
  const norm = sumSquares > 0 ? Mathf.sqrt(sumSquares) : sumSquares;
  const denominator = max<f32>(norm, clipNorm);
  const clipV = f32x4.splat(clipNorm), denominatorV = f32x4.splat(denominator);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    v128.store(ptr + at(i), f32x4.div(f32x4.mul(v128.load(ptr + at(i)), clipV), denominatorV));
  }
  for (; i < count; i++) store<f32>(ptr + at(i), (load<f32>(ptr + at(i)) * clipNorm) / denominator);
}

/**
 * The factor Keras's `clip_by_global_norm` multiplies every gradient by, in f32:
 * norm = √total; clipNorm·min(1/norm, 1/clipNorm) + (norm - norm). A zero total gives clipNorm·(1/clipNorm)
 * (≈ 1); an infinite or NaN total gives NaN, as in Keras, so a blown-up step poisons the weights visibly.
 */
export function globalNormScale(totalSumOfSquares: f32, clipNorm: f32): f32 {
  const norm = Mathf.sqrt(totalSumOfSquares);
  return clipNorm * min<f32>(1 / norm, 1 / clipNorm) + (norm - norm);
}
