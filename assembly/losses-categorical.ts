// Row-wise losses: categorical cross-entropy (probabilities and logits, dense and sparse labels) and the fused
// softmax + cross-entropy gradient. Formulas follow Keras 3 (keras/src/losses/losses.py and the backends' nn.py):
//   probabilities: q = clip(p / Σp, ε, 1 − ε),  l = −Σⱼ tⱼ·log qⱼ
//   logits:        l = −Σⱼ tⱼ·log_softmax(z)ⱼ = T·logΣⱼexp(zⱼ − m) − Σⱼ tⱼ·(zⱼ − m),  m = maxⱼ zⱼ, T = Σⱼ tⱼ
// The probability form is the NumPy / JAX backends' (normalise, then clip) for dense and sparse labels alike;
// TF's sparse path clips without normalising, which agrees for rows that sum to 1 and are not clipped.
// Dense targets are smoothed as t·(1 − ls) + ls/cols (targetScale, targetShift). Sparse labels outside
// [0, cols) give a zero one-hot row, so loss 0 and gradient 0 (as Keras's one_hot does for negative labels).
import {
  EPSILON, ONE_MINUS_EPSILON, expLanes, logLanes, loadPartial, storePartial, laneMask, sumLanes, rowSum, rowMax,
  weightOf,
} from "./losses-lanes";

@inline function rowAt(base: usize, row: i32, cols: i32): usize {
  return base + (<usize>row * <usize>cols << 2);
}

/** Lanes where ε ≤ q ≤ 1 − ε: where the clip passes the gradient through. */
@inline function unclipped(q: v128): v128 {
  return v128.and(f32x4.ge(q, f32x4.splat(EPSILON)), f32x4.le(q, f32x4.splat(ONE_MINUS_EPSILON)));
}

@inline function clipProbability(q: v128): v128 {
  return f32x4.max(f32x4.min(q, f32x4.splat(ONE_MINUS_EPSILON)), f32x4.splat(EPSILON));
}

/** Σᵢ wᵢ·lᵢ (float64, row order) of dense categorical cross-entropy; lᵢ to perSampleOut when non-zero. */
export function categoricalForward(
  rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, perSampleOut: usize,
  targetScale: f32, targetShift: f32, fromLogits: bool,
): f64 {
  const scaleV = f32x4.splat(targetScale);
  const shiftV = f32x4.splat(targetShift);
  const rest = cols & 3;
  const restMask = laneMask(rest);
  let total: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const p = rowAt(yPred, i, cols);
    const t = rowAt(yTrue, i, cols);
    // probabilities: center = Σp, the divisor; logits: center = max z, subtracted before exp.
    const center = fromLogits ? rowMax(p, cols) : rowSum(p, cols);
    const centerV = f32x4.splat(center);
    let crossAcc = f32x4.splat(0); // Σ t·log q, or Σ t·(z − m)
    let expAcc = f32x4.splat(0); // Σ exp(z − m)       (logits)
    let targetAcc = f32x4.splat(0); // Σ t             (logits)
    for (let j = 0; j < cols; j += 4) {
      const offset = <usize>j << 2;
      const full = j + 4 <= cols;
      const mask = full ? i32x4.splat(-1) : restMask;
      const pj = full ? v128.load(p + offset) : loadPartial(p + offset, rest, 1);
      const tj = v128.and(f32x4.add(f32x4.mul(full ? v128.load(t + offset) : loadPartial(t + offset, rest, 0), scaleV), shiftV), mask);
      if (fromLogits) {
        const shifted = f32x4.sub(pj, centerV);
        crossAcc = f32x4.add(crossAcc, v128.and(f32x4.mul(tj, shifted), mask));
        expAcc = f32x4.add(expAcc, v128.and(expLanes(shifted), mask));
        targetAcc = f32x4.add(targetAcc, tj);
      } else {
        const logQ = logLanes(clipProbability(f32x4.div(pj, centerV)));
        crossAcc = f32x4.add(crossAcc, v128.and(f32x4.mul(tj, logQ), mask));
      }
    }
    const sampleLoss: f32 = fromLogits
      ? sumLanes(targetAcc) * Mathf.log(sumLanes(expAcc)) - sumLanes(crossAcc)
      : -sumLanes(crossAcc);
    if (perSampleOut) store<f32>(perSampleOut + (<usize>i << 2), sampleLoss);
    total += <f64>weightOf(sampleWeights, i) * <f64>sampleLoss;
  }
  return total;
}

/**
 * dPred = scale·wᵢ·∂lᵢ/∂yPred for dense categorical cross-entropy.
 *   logits:        ∂l/∂zₖ = softmax(z)ₖ·T − tₖ
 *   probabilities: ∂l/∂pₖ = (Σⱼ tⱼmⱼ)/S − tₖmₖ/pₖ,  S = Σp, mⱼ = 1 where qⱼ was not clipped
 * (the second is the chain rule through both the clip and the division by S). dPred may alias yPred.
 */
export function categoricalBackward(
  rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize, dPred: usize,
  targetScale: f32, targetShift: f32, scale: f32, fromLogits: bool,
): void {
  const scaleV = f32x4.splat(targetScale);
  const shiftV = f32x4.splat(targetShift);
  const rest = cols & 3;
  const restMask = laneMask(rest);
  for (let i = 0; i < rows; i++) {
    const p = rowAt(yPred, i, cols);
    const t = rowAt(yTrue, i, cols);
    const d = rowAt(dPred, i, cols);
    const factor = scale * weightOf(sampleWeights, i);
    const center = fromLogits ? rowMax(p, cols) : rowSum(p, cols);
    const centerV = f32x4.splat(center);
    // Pass 1 — logits: exp(z − m) into dPred (scratch), Σexp and T; probabilities: Σ tⱼmⱼ.
    let accA = f32x4.splat(0);
    let accB = f32x4.splat(0);
    for (let j = 0; j < cols; j += 4) {
      const offset = <usize>j << 2;
      const full = j + 4 <= cols;
      const mask = full ? i32x4.splat(-1) : restMask;
      const pj = full ? v128.load(p + offset) : loadPartial(p + offset, rest, 1);
      const tj = v128.and(f32x4.add(f32x4.mul(full ? v128.load(t + offset) : loadPartial(t + offset, rest, 0), scaleV), shiftV), mask);
      if (fromLogits) {
        const e = expLanes(f32x4.sub(pj, centerV));
        if (full) v128.store(d + offset, e);
        else storePartial(d + offset, e, rest);
        accA = f32x4.add(accA, v128.and(e, mask));
        accB = f32x4.add(accB, tj);
      } else {
        accA = f32x4.add(accA, v128.and(tj, unclipped(f32x4.div(pj, centerV))));
      }
    }
    // Pass 2 — gradient = c·(a·x − b) with x = exp(z − m) (logits) or the clip mask (probabilities).
    const factorV = f32x4.splat(factor);
    const targetSum = sumLanes(accB);
    const common = fromLogits ? f32x4.splat(targetSum / sumLanes(accA)) : f32x4.splat(sumLanes(accA) / center);
    for (let j = 0; j < cols; j += 4) {
      const offset = <usize>j << 2;
      const full = j + 4 <= cols;
      const tj = f32x4.add(f32x4.mul(full ? v128.load(t + offset) : loadPartial(t + offset, rest, 0), scaleV), shiftV);
      let g: v128;
      if (fromLogits) {
        const e = full ? v128.load(d + offset) : loadPartial(d + offset, rest, 0);
        g = f32x4.sub(f32x4.mul(e, common), tj);
      } else {
        const pj = full ? v128.load(p + offset) : loadPartial(p + offset, rest, 1);
        const keep = unclipped(f32x4.div(pj, centerV));
        g = f32x4.sub(common, v128.and(f32x4.div(tj, pj), keep));
      }
      g = f32x4.mul(factorV, g);
      if (full) v128.store(d + offset, g);
      else storePartial(d + offset, g, rest);
    }
  }
}

@inline function labelOf(labels: usize, row: i32, cols: i32): i32 {
  const label = load<i32>(labels + (<usize>row << 2));
  return <u32>label < <u32>cols ? label : -1;
}

/** Σᵢ wᵢ·lᵢ of sparse categorical cross-entropy (int32 labels); lᵢ to perSampleOut when non-zero. */
export function sparseForward(
  rows: i32, cols: i32, yPred: usize, labels: usize, sampleWeights: usize, perSampleOut: usize, fromLogits: bool,
): f64 {
  const restMask = laneMask(cols & 3);
  let total: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const p = rowAt(yPred, i, cols);
    const label = labelOf(labels, i, cols);
    let sampleLoss: f32 = 0;
    if (label >= 0) {
      const chosen = load<f32>(p + (<usize>label << 2));
      if (fromLogits) {
        // −log_softmax(z)_y = log Σ exp(zⱼ − m) − (z_y − m)
        const m = rowMax(p, cols);
        const mV = f32x4.splat(m);
        let acc = f32x4.splat(0);
        for (let j = 0; j < cols; j += 4) {
          const full = j + 4 <= cols;
          const zj = full ? v128.load(p + (<usize>j << 2)) : loadPartial(p + (<usize>j << 2), cols & 3, 0);
          acc = f32x4.add(acc, v128.and(expLanes(f32x4.sub(zj, mV)), full ? i32x4.splat(-1) : restMask));
        }
        sampleLoss = Mathf.log(sumLanes(acc)) - (chosen - m);
      } else {
        const q = min(max(chosen / rowSum(p, cols), EPSILON), ONE_MINUS_EPSILON);
        sampleLoss = -Mathf.log(q);
      }
    }
    if (perSampleOut) store<f32>(perSampleOut + (<usize>i << 2), sampleLoss);
    total += <f64>weightOf(sampleWeights, i) * <f64>sampleLoss;
  }
  return total;
}

/**
 * dPred = scale·wᵢ·∂lᵢ/∂yPred for sparse categorical cross-entropy.
 *   logits: softmax(z) − onehot(y);  probabilities: m/S − δₖᵧ·m/p_y (m = 1 when q_y was not clipped).
 */
export function sparseBackward(
  rows: i32, cols: i32, yPred: usize, labels: usize, sampleWeights: usize, dPred: usize, scale: f32,
  fromLogits: bool,
): void {
  const rest = cols & 3;
  for (let i = 0; i < rows; i++) {
    const p = rowAt(yPred, i, cols);
    const d = rowAt(dPred, i, cols);
    const label = labelOf(labels, i, cols);
    const factor = scale * weightOf(sampleWeights, i);
    if (label < 0) {
      zeroRow(d, cols);
      continue;
    }
    const chosen = load<f32>(p + (<usize>label << 2));
    if (fromLogits) {
      const mV = f32x4.splat(rowMax(p, cols));
      softmaxInto(p, d, cols, mV);
      // d holds exp(z − m); scale it to c·softmax in place.
      const c = f32x4.splat(factor / rowSum(d, cols));
      for (let j = 0; j < cols; j += 4) {
        const offset = <usize>j << 2;
        if (j + 4 <= cols) v128.store(d + offset, f32x4.mul(c, v128.load(d + offset)));
        else storePartial(d + offset, f32x4.mul(c, loadPartial(d + offset, rest, 0)), rest);
      }
      store<f32>(d + (<usize>label << 2), load<f32>(d + (<usize>label << 2)) - factor);
    } else {
      const sum = rowSum(p, cols);
      const q = chosen / sum;
      const kept = q >= EPSILON && q <= ONE_MINUS_EPSILON;
      fillRow(d, cols, kept ? factor / sum : 0);
      if (kept) store<f32>(d + (<usize>label << 2), factor * (<f32>1 / sum - <f32>1 / chosen));
    }
  }
}

/** d[j] = exp(z[j] − m) for a row (d may alias z). */
function softmaxInto(z: usize, d: usize, cols: i32, mV: v128): void {
  const rest = cols & 3;
  for (let j = 0; j < cols; j += 4) {
    const offset = <usize>j << 2;
    if (j + 4 <= cols) v128.store(d + offset, expLanes(f32x4.sub(v128.load(z + offset), mV)));
    else storePartial(d + offset, expLanes(f32x4.sub(loadPartial(z + offset, rest, 0), mV)), rest);
  }
}

function fillRow(d: usize, cols: i32, value: f32): void {
  const v = f32x4.splat(value);
  let j = 0;
  for (; j + 4 <= cols; j += 4) v128.store(d + (<usize>j << 2), v);
  for (; j < cols; j++) store<f32>(d + (<usize>j << 2), value);
}

@inline function zeroRow(d: usize, cols: i32): void {
  fillRow(d, cols, 0);
}

/**
 * The fused gradient of a softmax output layer trained with categorical cross-entropy: given the layer's
 * probabilities p = softmax(z), dLogits = scale·wᵢ·(p·T − t) with T = Σⱼ tⱼ (1 for one-hot rows), which is the
 * softmax Jacobian times ∂l/∂p, so the layer skips the Jacobian. Sparse labels use t = onehot(y). Like Keras's
 * TF backend (which swaps a softmax output for its logits), this is the gradient of the unclipped loss.
 * dLogits may alias probs.
 */
export function softmaxCrossEntropyBackwardRows(
  rows: i32, cols: i32, probs: usize, yTrue: usize, sparseLabels: bool, sampleWeights: usize, dLogits: usize,
  targetScale: f32, targetShift: f32, scale: f32,
): void {
  const scaleV = f32x4.splat(targetScale);
  const shiftV = f32x4.splat(targetShift);
  const rest = cols & 3;
  for (let i = 0; i < rows; i++) {
    const p = rowAt(probs, i, cols);
    const d = rowAt(dLogits, i, cols);
    const factor = scale * weightOf(sampleWeights, i);
    if (sparseLabels) {
      const label = labelOf(yTrue, i, cols);
      if (label < 0) {
        zeroRow(d, cols);
        continue;
      }
      const chosen = load<f32>(p + (<usize>label << 2)); // read before d (which may alias p) is written
      const c = f32x4.splat(factor);
      for (let j = 0; j < cols; j += 4) {
        const offset = <usize>j << 2;
        if (j + 4 <= cols) v128.store(d + offset, f32x4.mul(c, v128.load(p + offset)));
        else storePartial(d + offset, f32x4.mul(c, loadPartial(p + offset, rest, 0)), rest);
      }
      store<f32>(d + (<usize>label << 2), factor * (chosen - 1));
      continue;
    }
    const t = rowAt(yTrue, i, cols);
    // T = Σ t' = (1 − ls)·Σ t + ls for smoothed rows.
    const targetSum = targetScale * rowSum(t, cols) + targetShift * <f32>cols;
    const targetSumV = f32x4.splat(targetSum);
    const c = f32x4.splat(factor);
    for (let j = 0; j < cols; j += 4) {
      const offset = <usize>j << 2;
      const full = j + 4 <= cols;
      const pj = full ? v128.load(p + offset) : loadPartial(p + offset, rest, 0);
      const tj = f32x4.add(f32x4.mul(full ? v128.load(t + offset) : loadPartial(t + offset, rest, 0), scaleV), shiftV);
      const g = f32x4.mul(c, f32x4.sub(f32x4.mul(pj, targetSumV), tj));
      if (full) v128.store(d + offset, g);
      else storePartial(d + offset, g, rest);
    }
  }
}
