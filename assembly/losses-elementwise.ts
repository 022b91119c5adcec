// Elementwise losses: the per-sample loss is the mean over a row of e(yPred, yTrue) (the sum for KL divergence),
// each e exactly as Keras 3 writes it in keras/src/losses/losses.py (and the TF backend's nn.py for BCE).
//
// NOTE: one `switch (kind)` per 4-lane chunk keeps a single loop for all twelve kinds instead of twelve inlined
// copies. A loss is O(batch × outputs) next to the O(batch × outputs × inputs) GEMMs of the output layer, so a
// smaller module wins over the few cycles the branch costs.
import {
  LOSS_MEAN_SQUARED_ERROR, LOSS_MEAN_ABSOLUTE_ERROR, LOSS_HUBER, LOSS_BINARY_CROSSENTROPY,
  LOSS_BINARY_CROSSENTROPY_FROM_LOGITS, LOSS_MEAN_ABSOLUTE_PERCENTAGE_ERROR, LOSS_MEAN_SQUARED_LOGARITHMIC_ERROR,
  LOSS_HINGE, LOSS_SQUARED_HINGE, LOSS_LOG_COSH, LOSS_KL_DIVERGENCE, LOSS_POISSON,
} from "./losses-kinds";
import {
  EPSILON, ONE_MINUS_EPSILON, expLanes, logLanes, log1pLanes, loadPartial, storePartial, laneMask, sumLanes,
  signLanes, weightOf,
} from "./losses-lanes";

/** float32(log 2), the constant of Keras's log_cosh. */
const LN2: f32 = 0.6931471805599453;

/** Clamps each lane to [low, high]; NaN stays NaN (wasm min/max propagate it). */
@inline function clampLanes(x: v128, low: f32, high: f32): v128 {
  return f32x4.max(f32x4.min(x, f32x4.splat(high)), f32x4.splat(low));
}

/** Lanes where low <= x <= high: where tf.clip_by_value passes the gradient through. */
@inline function insideMask(x: v128, low: f32, high: f32): v128 {
  return v128.and(f32x4.ge(x, f32x4.splat(low)), f32x4.le(x, f32x4.splat(high)));
}

/** e(p, t) per lane. `t` is already smoothed or mapped to ±1; `param` is splat(delta) for Huber. */
function elementLoss(kind: i32, p: v128, t: v128, param: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  switch (kind) {
    case LOSS_MEAN_SQUARED_ERROR: {
      const d = f32x4.sub(t, p);
      return f32x4.mul(d, d);
    }
    case LOSS_MEAN_ABSOLUTE_ERROR: return f32x4.abs(f32x4.sub(t, p));
    case LOSS_HUBER: {
      // where(|e| <= δ, ½e², δ|e| − ½δ²)
      const error = f32x4.sub(p, t);
      const absError = f32x4.abs(error);
      const half = f32x4.splat(0.5);
      const quadratic = f32x4.mul(half, f32x4.mul(error, error));
      const linear = f32x4.sub(f32x4.mul(param, absError), f32x4.mul(half, f32x4.mul(param, param)));
      return v128.bitselect(quadratic, linear, f32x4.le(absError, param));
    }
    case LOSS_BINARY_CROSSENTROPY: {
      // −(t·log c + (1 − t)·log(1 − c)), c = clip(p, ε, 1 − ε)
      const c = clampLanes(p, EPSILON, ONE_MINUS_EPSILON);
      const positive = f32x4.mul(t, logLanes(c));
      const negative = f32x4.mul(f32x4.sub(one, t), logLanes(f32x4.sub(one, c)));
      return f32x4.neg(f32x4.add(positive, negative));
    }
    case LOSS_BINARY_CROSSENTROPY_FROM_LOGITS: {
      // max(z, 0) − z·t + log(1 + exp(−|z|)): no overflow for any z (TF's sigmoid_cross_entropy_with_logits).
      const softplusTail = log1pLanes(expLanes(f32x4.neg(f32x4.abs(p))));
      return f32x4.add(f32x4.sub(f32x4.max(p, zero), f32x4.mul(p, t)), softplusTail);
    }
    case LOSS_MEAN_ABSOLUTE_PERCENTAGE_ERROR: {
      const denominator = f32x4.max(f32x4.abs(t), f32x4.splat(EPSILON));
      return f32x4.mul(f32x4.splat(100), f32x4.abs(f32x4.div(f32x4.sub(t, p), denominator)));
    }
    case LOSS_MEAN_SQUARED_LOGARITHMIC_ERROR: {
      // log(max(x, ε) + 1) via log1p: the same value without the rounding of the + 1.
      const epsilon = f32x4.splat(EPSILON);
      const d = f32x4.sub(log1pLanes(f32x4.max(p, epsilon)), log1pLanes(f32x4.max(t, epsilon)));
      return f32x4.mul(d, d);
    }
    case LOSS_HINGE: return f32x4.max(f32x4.sub(one, f32x4.mul(t, p)), zero);
    case LOSS_SQUARED_HINGE: {
      const h = f32x4.max(f32x4.sub(one, f32x4.mul(t, p)), zero);
      return f32x4.mul(h, h);
    }
    case LOSS_LOG_COSH: {
      // Keras: x + softplus(−2x) − log 2, which is |x| + log(1 + exp(−2|x|)) − log 2 without overflow.
      const absX = f32x4.abs(f32x4.sub(p, t));
      const tail = log1pLanes(expLanes(f32x4.mul(f32x4.splat(-2), absX)));
      return f32x4.sub(f32x4.add(absX, tail), f32x4.splat(LN2));
    }
    case LOSS_KL_DIVERGENCE: {
      const tc = clampLanes(t, EPSILON, 1);
      const pc = clampLanes(p, EPSILON, 1);
      return f32x4.mul(tc, logLanes(f32x4.div(tc, pc)));
    }
    case LOSS_POISSON: return f32x4.sub(p, f32x4.mul(t, logLanes(f32x4.add(p, f32x4.splat(EPSILON)))));
  }
  return f32x4.splat(NaN);
}

/** ∂e/∂p per lane, the gradient TF's autodiff gives elementLoss (clips pass it only inside their range). */
function elementGradient(kind: i32, p: v128, t: v128, param: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  switch (kind) {
    case LOSS_MEAN_SQUARED_ERROR: return f32x4.mul(f32x4.splat(2), f32x4.sub(p, t));
    case LOSS_MEAN_ABSOLUTE_ERROR: return signLanes(f32x4.sub(p, t));
    case LOSS_HUBER: {
      const error = f32x4.sub(p, t);
      return v128.bitselect(error, f32x4.mul(param, signLanes(error)), f32x4.le(f32x4.abs(error), param));
    }
    case LOSS_BINARY_CROSSENTROPY: {
      const c = clampLanes(p, EPSILON, ONE_MINUS_EPSILON);
      const g = f32x4.sub(f32x4.div(f32x4.sub(one, t), f32x4.sub(one, c)), f32x4.div(t, c));
      return v128.and(g, insideMask(p, EPSILON, ONE_MINUS_EPSILON));
    }
    case LOSS_BINARY_CROSSENTROPY_FROM_LOGITS: {
      // sigmoid(z) − t, with sigmoid from e = exp(−|z|) so it never overflows: z ≥ 0 → 1/(1+e), else e/(1+e).
      const e = expLanes(f32x4.neg(f32x4.abs(p)));
      const inverse = f32x4.div(one, f32x4.add(one, e));
      const sigmoid = v128.bitselect(inverse, f32x4.mul(e, inverse), f32x4.ge(p, zero));
      return f32x4.sub(sigmoid, t);
    }
    case LOSS_MEAN_ABSOLUTE_PERCENTAGE_ERROR: {
      const denominator = f32x4.max(f32x4.abs(t), f32x4.splat(EPSILON));
      return f32x4.div(f32x4.mul(f32x4.splat(100), signLanes(f32x4.sub(p, t))), denominator);
    }
    case LOSS_MEAN_SQUARED_LOGARITHMIC_ERROR: {
      // 2(log1p(p̂) − log1p(t̂)) / (1 + p̂), p̂ = max(p, ε); tf.maximum routes the gradient to p where p ≥ ε.
      const epsilon = f32x4.splat(EPSILON);
      const pc = f32x4.max(p, epsilon);
      const d = f32x4.sub(log1pLanes(pc), log1pLanes(f32x4.max(t, epsilon)));
      const g = f32x4.div(f32x4.mul(f32x4.splat(2), d), f32x4.add(one, pc));
      return v128.and(g, f32x4.ge(p, epsilon));
    }
    case LOSS_HINGE: {
      // tf.maximum(u, 0) passes the gradient to u where u ≥ 0 (ties included).
      const u = f32x4.sub(one, f32x4.mul(t, p));
      return v128.and(f32x4.neg(t), f32x4.ge(u, zero));
    }
    case LOSS_SQUARED_HINGE: {
      const h = f32x4.max(f32x4.sub(one, f32x4.mul(t, p)), zero);
      return f32x4.mul(f32x4.mul(f32x4.splat(-2), t), h);
    }
    case LOSS_LOG_COSH: {
      // tanh(x) = sign(x)·(1 − e)/(1 + e), e = exp(−2|x|)
      const x = f32x4.sub(p, t);
      const e = expLanes(f32x4.mul(f32x4.splat(-2), f32x4.abs(x)));
      return f32x4.mul(signLanes(x), f32x4.div(f32x4.sub(one, e), f32x4.add(one, e)));
    }
    case LOSS_KL_DIVERGENCE: {
      const tc = clampLanes(t, EPSILON, 1);
      const pc = clampLanes(p, EPSILON, 1);
      return v128.and(f32x4.neg(f32x4.div(tc, pc)), insideMask(p, EPSILON, 1));
    }
    case LOSS_POISSON: return f32x4.sub(one, f32x4.div(t, f32x4.add(p, f32x4.splat(EPSILON))));
  }
  return f32x4.splat(NaN);
}

/** Per-sample divisor: Keras takes the mean over the last axis, except KL divergence, which sums. */
@inline function rowDivisor(kind: i32, cols: i32): f32 {
  return kind == LOSS_KL_DIVERGENCE ? 1 : <f32>cols;
}

/**
 * Σᵢ wᵢ·lᵢ in float64, added in row order, for an elementwise kind; lᵢ (unweighted) goes to perSampleOut[i]
 * when perSampleOut != 0. Targets are used as t·targetScale + targetShift (label smoothing, hinge's {0,1}→±1).
 */
export function elementwiseForward(
  kind: i32, rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, perSampleOut: usize,
  param: f32, targetScale: f32, targetShift: f32,
): f64 {
  const paramV = f32x4.splat(param);
  const scaleV = f32x4.splat(targetScale);
  const shiftV = f32x4.splat(targetShift);
  let total: f64 = 0;
  if (cols == 1) {
    // One output per sample (binary classifiers, scalar regression): consecutive samples fill the lanes.
    for (let i = 0; i < rows; i += 4) {
      const offset = <usize>i << 2;
      const live = min(rows - i, 4);
      let p: v128, t: v128;
      if (live == 4) {
        p = v128.load(yPred + offset);
        t = v128.load(yTrue + offset);
      } else {
        p = loadPartial(yPred + offset, live, 0.5);
        t = loadPartial(yTrue + offset, live, 0.5);
      }
      const loss = elementLoss(kind, p, f32x4.add(f32x4.mul(t, scaleV), shiftV), paramV);
      if (perSampleOut) {
        if (live == 4) v128.store(perSampleOut + offset, loss);
        else storePartial(perSampleOut + offset, loss, live);
      }
      total += <f64>weightOf(sampleWeights, i) * <f64>f32x4.extract_lane(loss, 0);
      if (live > 1) total += <f64>weightOf(sampleWeights, i + 1) * <f64>f32x4.extract_lane(loss, 1);
      if (live > 2) total += <f64>weightOf(sampleWeights, i + 2) * <f64>f32x4.extract_lane(loss, 2);
      if (live > 3) total += <f64>weightOf(sampleWeights, i + 3) * <f64>f32x4.extract_lane(loss, 3);
    }
    return total;
  }
  const divisor = rowDivisor(kind, cols);
  const rest = cols & 3;
  const restMask = laneMask(rest);
  for (let i = 0; i < rows; i++) {
    const rowOffset = <usize>i * <usize>cols << 2;
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const offset = rowOffset + (<usize>j << 2);
      const t = f32x4.add(f32x4.mul(v128.load(yTrue + offset), scaleV), shiftV);
      acc = f32x4.add(acc, elementLoss(kind, v128.load(yPred + offset), t, paramV));
    }
    if (rest) {
      const offset = rowOffset + (<usize>j << 2);
      const t = f32x4.add(f32x4.mul(loadPartial(yTrue + offset, rest, 0.5), scaleV), shiftV);
      const loss = elementLoss(kind, loadPartial(yPred + offset, rest, 0.5), t, paramV);
      acc = f32x4.add(acc, v128.and(loss, restMask));
    }
    const sampleLoss = sumLanes(acc) / divisor;
    if (perSampleOut) store<f32>(perSampleOut + (<usize>i << 2), sampleLoss);
    total += <f64>weightOf(sampleWeights, i) * <f64>sampleLoss;
  }
  return total;
}

/** dPred[i, j] = scale·wᵢ·∂lᵢ/∂yPred[i, j] for an elementwise kind (targets transformed as in the forward). */
export function elementwiseBackward(
  kind: i32, rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, dPred: usize,
  param: f32, targetScale: f32, targetShift: f32, scale: f32,
): void {
  const paramV = f32x4.splat(param);
  const scaleV = f32x4.splat(targetScale);
  const shiftV = f32x4.splat(targetShift);
  const factor = scale / rowDivisor(kind, cols);
  if (sampleWeights == 0 || cols == 1) {
    // The factor is the same for every element, or varies per element (one sample per element): one flat pass.
    const count = rows * cols;
    const factorV = f32x4.splat(factor);
    for (let i = 0; i < count; i += 4) {
      const offset = <usize>i << 2;
      const live = min(count - i, 4);
      const full = live == 4;
      const p = full ? v128.load(yPred + offset) : loadPartial(yPred + offset, live, 0.5);
      const t = full ? v128.load(yTrue + offset) : loadPartial(yTrue + offset, live, 0.5);
      let f = factorV;
      if (sampleWeights) f = f32x4.mul(f, full ? v128.load(sampleWeights + offset) : loadPartial(sampleWeights + offset, live, 0));
      const g = f32x4.mul(f, elementGradient(kind, p, f32x4.add(f32x4.mul(t, scaleV), shiftV), paramV));
      if (full) v128.store(dPred + offset, g);
      else storePartial(dPred + offset, g, live);
    }
    return;
  }
  const rest = cols & 3;
  for (let i = 0; i < rows; i++) {
    const rowOffset = <usize>i * <usize>cols << 2;
    const f = f32x4.splat(factor * load<f32>(sampleWeights + (<usize>i << 2)));
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const offset = rowOffset + (<usize>j << 2);
      const t = f32x4.add(f32x4.mul(v128.load(yTrue + offset), scaleV), shiftV);
      v128.store(dPred + offset, f32x4.mul(f, elementGradient(kind, v128.load(yPred + offset), t, paramV)));
    }
    if (rest) {
      const offset = rowOffset + (<usize>j << 2);
      const t = f32x4.add(f32x4.mul(loadPartial(yTrue + offset, rest, 0.5), scaleV), shiftV);
      const g = f32x4.mul(f, elementGradient(kind, loadPartial(yPred + offset, rest, 0.5), t, paramV));
      storePartial(dPred + offset, g, rest);
    }
  }
}

/** True when every one of the `count` targets is exactly 0 or 1 (Keras then maps hinge labels to ±1). */
export function allBinaryLabels(count: i32, yTrue: usize): bool {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const t = v128.load(yTrue + (<usize>i << 2));
    if (!i32x4.all_true(v128.or(f32x4.eq(t, zero), f32x4.eq(t, one)))) return false;
  }
  for (; i < count; i++) {
    const t = load<f32>(yTrue + (<usize>i << 2));
    if (t != 0 && t != 1) return false;
  }
  return true;
}
