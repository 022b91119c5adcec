// Row-wise margin and similarity losses from Keras 3's keras/src/losses/losses.py:
//   categorical_hinge:  l = max(neg − pos + 1, 0),  pos = Σⱼ tⱼpⱼ,  neg = maxⱼ (1 − tⱼ)·pⱼ
//   cosine_similarity:  l = −Σⱼ (aⱼ·iₐ)(bⱼ·i_b),  a = yTrue, b = yPred,  i = min(rsqrt(Σx²), 1/ε)  (ops.normalize)
import { INVERSE_EPSILON, loadPartial, storePartial, laneMask, sumLanes, maxLanes, weightOf } from "./losses-lanes";

@inline function rowAt(base: usize, row: i32, cols: i32): usize {
  return base + (<usize>row * <usize>cols << 2);
}

/** Σⱼ tⱼpⱼ and maxⱼ (1 − tⱼ)pⱼ of one row, returned as lanes 0 and 1. */
function hingeTerms(p: usize, t: usize, cols: i32): v128 {
  const rest = cols & 3;
  const restMask = laneMask(rest);
  const one = f32x4.splat(1);
  let posAcc = f32x4.splat(0);
  let negAcc = f32x4.splat(-Infinity);
  for (let j = 0; j < cols; j += 4) {
    const offset = <usize>j << 2;
    const full = j + 4 <= cols;
    const pj = full ? v128.load(p + offset) : loadPartial(p + offset, rest, 0);
    const tj = full ? v128.load(t + offset) : loadPartial(t + offset, rest, 0);
    const mask = full ? i32x4.splat(-1) : restMask;
    posAcc = f32x4.add(posAcc, v128.and(f32x4.mul(tj, pj), mask));
    negAcc = f32x4.max(negAcc, v128.bitselect(f32x4.mul(f32x4.sub(one, tj), pj), f32x4.splat(-Infinity), mask));
  }
  return f32x4.replace_lane(f32x4.splat(sumLanes(posAcc)), 1, maxLanes(negAcc));
}

export function categoricalHingeForward(
  rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, perSampleOut: usize,
): f64 {
  let total: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const terms = hingeTerms(rowAt(yPred, i, cols), rowAt(yTrue, i, cols), cols);
    const sampleLoss = max(f32x4.extract_lane(terms, 1) - f32x4.extract_lane(terms, 0) + 1, <f32>0);
    if (perSampleOut) store<f32>(perSampleOut + (<usize>i << 2), sampleLoss);
    total += <f64>weightOf(sampleWeights, i) * <f64>sampleLoss;
  }
  return total;
}

/**
 * ∂l/∂pₖ = −tₖ + [vₖ = neg]·(1 − tₖ)/n where vₖ = (1 − tₖ)pₖ and n counts the ties at the max (tf.reduce_max
 * shares its gradient equally among them), and 0 when neg − pos + 1 < 0 (tf.maximum passes it on ties).
 */
export function categoricalHingeBackward(
  rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, dPred: usize, scale: f32,
): void {
  const rest = cols & 3;
  const restMask = laneMask(rest);
  const one = f32x4.splat(1);
  for (let i = 0; i < rows; i++) {
    const p = rowAt(yPred, i, cols);
    const t = rowAt(yTrue, i, cols);
    const d = rowAt(dPred, i, cols);
    const terms = hingeTerms(p, t, cols);
    const neg = f32x4.extract_lane(terms, 1);
    const active = neg - f32x4.extract_lane(terms, 0) + 1 >= 0;
    const negV = f32x4.splat(neg);
    let ties = 0;
    for (let j = 0; j < cols; j += 4) {
      const offset = <usize>j << 2;
      const full = j + 4 <= cols;
      const pj = full ? v128.load(p + offset) : loadPartial(p + offset, rest, 0);
      const tj = full ? v128.load(t + offset) : loadPartial(t + offset, rest, 0);
      const atMax = v128.and(f32x4.eq(f32x4.mul(f32x4.sub(one, tj), pj), negV), full ? i32x4.splat(-1) : restMask);
      ties += <i32>popcnt(i32x4.bitmask(atMax));
    }
    const c = active ? scale * weightOf(sampleWeights, i) : 0;
    const cV = f32x4.splat(c);
    const shareV = f32x4.splat(ties > 0 ? <f32>1 / <f32>ties : 0);
    for (let j = 0; j < cols; j += 4) {
      const offset = <usize>j << 2;
      const full = j + 4 <= cols;
      const pj = full ? v128.load(p + offset) : loadPartial(p + offset, rest, 0);
      const tj = full ? v128.load(t + offset) : loadPartial(t + offset, rest, 0);
      const notTarget = f32x4.sub(one, tj);
      const atMax = f32x4.eq(f32x4.mul(notTarget, pj), negV);
      const g = f32x4.mul(cV, f32x4.sub(v128.and(f32x4.mul(notTarget, shareV), atMax), tj));
      if (full) v128.store(d + offset, g);
      else storePartial(d + offset, g, rest);
    }
  }
}

/** Σa², Σb², Σab of one row (lanes 0, 1, 2). */
function cosineTerms(b: usize, a: usize, cols: i32): v128 {
  const rest = cols & 3;
  let aa = f32x4.splat(0);
  let bb = f32x4.splat(0);
  let ab = f32x4.splat(0);
  for (let j = 0; j < cols; j += 4) {
    const offset = <usize>j << 2;
    const full = j + 4 <= cols;
    // Dead lanes load as 0, so they add nothing to the three sums.
    const bj = full ? v128.load(b + offset) : loadPartial(b + offset, rest, 0);
    const aj = full ? v128.load(a + offset) : loadPartial(a + offset, rest, 0);
    aa = f32x4.add(aa, f32x4.mul(aj, aj));
    bb = f32x4.add(bb, f32x4.mul(bj, bj));
    ab = f32x4.add(ab, f32x4.mul(aj, bj));
  }
  let terms = f32x4.splat(sumLanes(aa));
  terms = f32x4.replace_lane(terms, 1, sumLanes(bb));
  return f32x4.replace_lane(terms, 2, sumLanes(ab));
}

/** ops.normalize's inverse norm: min(1/sqrt(s), 1/ε). */
@inline function inverseNorm(squareSum: f32): f32 {
  return min(<f32>1 / Mathf.sqrt(squareSum), INVERSE_EPSILON);
}

export function cosineForward(
  rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, perSampleOut: usize,
): f64 {
  let total: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const terms = cosineTerms(rowAt(yPred, i, cols), rowAt(yTrue, i, cols), cols);
    const ia = inverseNorm(f32x4.extract_lane(terms, 0));
    const ib = inverseNorm(f32x4.extract_lane(terms, 1));
    const sampleLoss = -(f32x4.extract_lane(terms, 2) * ia * ib);
    if (perSampleOut) store<f32>(perSampleOut + (<usize>i << 2), sampleLoss);
    total += <f64>weightOf(sampleWeights, i) * <f64>sampleLoss;
  }
  return total;
}

/**
 * ∂l/∂bₖ = −iₐ·(i_b·aₖ − Σab·i_b³·bₖ); the second term only where rsqrt(Σb²) ≤ 1/ε (tf.minimum passes the
 * gradient to its first argument on ties), since a capped inverse norm is a constant.
 */
export function cosineBackward(
  rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, dPred: usize, scale: f32,
): void {
  const rest = cols & 3;
  for (let i = 0; i < rows; i++) {
    const b = rowAt(yPred, i, cols);
    const a = rowAt(yTrue, i, cols);
    const d = rowAt(dPred, i, cols);
    const terms = cosineTerms(b, a, cols);
    const ia = inverseNorm(f32x4.extract_lane(terms, 0));
    const rawIb = <f32>1 / Mathf.sqrt(f32x4.extract_lane(terms, 1));
    const ib = min(rawIb, INVERSE_EPSILON);
    const c = -scale * weightOf(sampleWeights, i) * ia;
    const aCoefficient = f32x4.splat(c * ib);
    const bCoefficient = f32x4.splat(rawIb <= INVERSE_EPSILON ? -c * f32x4.extract_lane(terms, 2) * ib * ib * ib : 0);
    for (let j = 0; j < cols; j += 4) {
      const offset = <usize>j << 2;
      const full = j + 4 <= cols;
      const bj = full ? v128.load(b + offset) : loadPartial(b + offset, rest, 0);
      const aj = full ? v128.load(a + offset) : loadPartial(a + offset, rest, 0);
      const g = f32x4.add(f32x4.mul(aCoefficient, aj), f32x4.mul(bCoefficient, bj));
      if (full) v128.store(d + offset, g);
      else storePartial(d + offset, g, rest);
    }
  }
}
