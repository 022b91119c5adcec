// Reductions over a batch (rows × cols, row-major f32): bias gradients, arg-max, and the per-batch sums that
// Keras 3's metrics accumulate (keras/src/metrics/*.py). Sample weights (`sampleWeights`, rows f32, 0 = none)
// weigh every element of their row, as Keras broadcasts sample_weight over the outputs. Every sum runs in an
// order fixed by the sizes alone, so results are reproducible; callers add batches up in JS (float64).
import { LOSS_MEAN_ABSOLUTE_ERROR, LOSS_MEAN_SQUARED_ERROR, LOSS_MEAN_ABSOLUTE_PERCENTAGE_ERROR } from "./losses-kinds";
import { elementwiseForward } from "./losses-elementwise";
import { loadPartial, laneMask, sumLanes, rowMax, weightOf } from "./losses-lanes";

/**
 * dst[j] (+)= Σᵢ src[i, j] (bias gradients): overwrite when accumulate = 0, add to dst when 1. Every column is
 * summed top to bottom in sequence, SIMD across 16 / 4 columns, so each column's result is the plain sequential
 * float32 sum whatever its position.
 */
export function columnSums(rows: i32, cols: i32, src: usize, dst: usize, accumulate: i32): void {
  const stride = <usize>cols << 2;
  let j = 0;
  // 16 columns at a time: four accumulators stay in registers while the rows stream past (64 bytes a row).
  for (; j + 16 <= cols; j += 16) {
    const out = dst + (<usize>j << 2);
    let a0 = accumulate ? v128.load(out) : f32x4.splat(0);
    let a1 = accumulate ? v128.load(out, 16) : f32x4.splat(0);
    let a2 = accumulate ? v128.load(out, 32) : f32x4.splat(0);
    let a3 = accumulate ? v128.load(out, 48) : f32x4.splat(0);
    let ptr = src + (<usize>j << 2);
    for (let i = 0; i < rows; i++, ptr += stride) {
      a0 = f32x4.add(a0, v128.load(ptr));
      a1 = f32x4.add(a1, v128.load(ptr, 16));
      a2 = f32x4.add(a2, v128.load(ptr, 32));
      a3 = f32x4.add(a3, v128.load(ptr, 48));
    }
    v128.store(out, a0);
    v128.store(out, a1, 16);
    v128.store(out, a2, 32);
    v128.store(out, a3, 48);
  }
  for (; j + 4 <= cols; j += 4) {
    const out = dst + (<usize>j << 2);
    let acc = accumulate ? v128.load(out) : f32x4.splat(0);
    let ptr = src + (<usize>j << 2);
    for (let i = 0; i < rows; i++, ptr += stride) acc = f32x4.add(acc, v128.load(ptr));
    v128.store(out, acc);
  }
  for (; j < cols; j++) {
    const out = dst + (<usize>j << 2);
    let acc: f32 = accumulate ? load<f32>(out) : 0;
    let ptr = src + (<usize>j << 2);
    for (let i = 0; i < rows; i++, ptr += stride) acc += load<f32>(ptr);
    store<f32>(out, acc);
  }
}

/**
 * Index of the largest value of a row, the first one on ties (as tf.argmax and NumPy). NaN counts as larger
 * than everything (NumPy's rule: the first NaN wins); ±0 tie; -1 for an empty row.
 */
function argmaxOf(row: usize, cols: i32): i32 {
  if (cols <= 0) return -1;
  const best = rowMax(row, cols); // NaN when the row holds one
  const bestV = f32x4.splat(best);
  const lookForNaN = best != best;
  for (let j = 0; j < cols; j += 4) {
    const full = j + 4 <= cols;
    const v = full ? v128.load(row + (<usize>j << 2)) : loadPartial(row + (<usize>j << 2), cols & 3, 0);
    // Dead lanes of the last chunk (filled with 0) cannot win: the maximum came from a live lane, which is
    // either in an earlier chunk or before them in this one, and ctz takes the lowest hit.
    const hits = i32x4.bitmask(lookForNaN ? f32x4.ne(v, v) : f32x4.eq(v, bestV));
    if (hits) return j + ctz(hits);
  }
  return -1;
}

/** dstI32[i] = argmax over row i (see argmaxOf for ties and NaN). */
export function rowArgmax(rows: i32, cols: i32, src: usize, dstI32: usize): void {
  for (let i = 0; i < rows; i++) {
    store<i32>(dstI32 + (<usize>i << 2), argmaxOf(src + (<usize>i * <usize>cols << 2), cols));
  }
}

/**
 * Binary accuracy: Σᵢ wᵢ·(matchesᵢ / cols), a match being (yPred > threshold) == yTrue with yTrue exactly 0 or
 * 1 (Keras's binary_accuracy, averaged per sample as its Mean metric does). Unweighted counts are exact
 * integers; weighted ones add each row (or each chunk of 4 one-output rows) into a float64 total.
 */
export function countBinaryMatches(
  rows: i32, cols: i32, yPred: usize, yTrue: usize, threshold: f32, sampleWeights: usize,
): f32 {
  const thresholdV = f32x4.splat(threshold);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  // With no weights, or one output per sample, the whole batch is one flat run; else one run per row.
  const flat = sampleWeights == 0 || cols == 1;
  const runs = flat ? 1 : rows;
  const length = flat ? rows * cols : cols;
  let total: f64 = 0;
  for (let r = 0; r < runs; r++) {
    const base = <usize>r * <usize>length << 2;
    let matches = 0;
    for (let j = 0; j < length; j += 4) {
      const offset = base + (<usize>j << 2);
      const live = min(length - j, 4);
      const p = live == 4 ? v128.load(yPred + offset) : loadPartial(yPred + offset, live, 0);
      const t = live == 4 ? v128.load(yTrue + offset) : loadPartial(yTrue + offset, live, -1);
      const match = v128.and(v128.bitselect(f32x4.eq(t, one), f32x4.eq(t, zero), f32x4.gt(p, thresholdV)), laneMask(live));
      if (flat && sampleWeights) {
        const w = live == 4 ? v128.load(sampleWeights + offset) : loadPartial(sampleWeights + offset, live, 0);
        total += <f64>sumLanes(v128.and(w, match));
      } else {
        matches += <i32>popcnt(i32x4.bitmask(match));
      }
    }
    total += <f64>(flat ? 1 : weightOf(sampleWeights, r)) * <f64>matches;
  }
  return <f32>(total / <f64>cols);
}

/** Categorical accuracy: Σᵢ wᵢ·[argmax yPredᵢ == argmax yTrueᵢ]. */
export function countCategoricalMatches(rows: i32, cols: i32, yPred: usize, yTrueOneHot: usize, sampleWeights: usize): f32 {
  let total: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const offset = <usize>i * <usize>cols << 2;
    if (argmaxOf(yPred + offset, cols) == argmaxOf(yTrueOneHot + offset, cols)) total += weightOf(sampleWeights, i);
  }
  return <f32>total;
}

/** Sparse categorical accuracy: Σᵢ wᵢ·[argmax yPredᵢ == labelᵢ] (int32 labels). */
export function countSparseMatches(rows: i32, cols: i32, yPred: usize, labelsI32: usize, sampleWeights: usize): f32 {
  let total: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const predicted = argmaxOf(yPred + (<usize>i * <usize>cols << 2), cols);
    if (predicted == load<i32>(labelsI32 + (<usize>i << 2))) total += weightOf(sampleWeights, i);
  }
  return <f32>total;
}

/**
 * Sparse top-k accuracy: Σᵢ wᵢ·in_top_k, with tf.math.in_top_k's rules: the label is a hit when fewer than k
 * classes score strictly higher than it (so ties at the boundary all count as in), and a miss when the label
 * is out of range or any score of the row is NaN or ±Infinity.
 */
export function countTopKMatches(
  rows: i32, cols: i32, yPred: usize, labelsI32: usize, k: i32, sampleWeights: usize,
): f32 {
  let total: f64 = 0;
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const row = yPred + (<usize>i * <usize>cols << 2);
    const label = load<i32>(labelsI32 + (<usize>i << 2));
    if (<u32>label >= <u32>cols) continue;
    const targetV = f32x4.splat(load<f32>(row + (<usize>label << 2)));
    let higher = 0;
    let finite = true;
    for (let j = 0; j < cols; j += 4) {
      const full = j + 4 <= cols;
      const v = full ? v128.load(row + (<usize>j << 2)) : loadPartial(row + (<usize>j << 2), cols & 3, 0);
      // v − v is 0 exactly for finite v, NaN for NaN and ±Infinity.
      if (!i32x4.all_true(f32x4.eq(f32x4.sub(v, v), zero))) finite = false;
      let above = i32x4.bitmask(f32x4.gt(v, targetV));
      if (!full) above &= (1 << (cols & 3)) - 1;
      higher += <i32>popcnt(above);
    }
    if (finite && higher < k) total += weightOf(sampleWeights, i);
  }
  return <f32>total;
}

/** Σᵢ wᵢ·meanⱼ|yPred − yTrue| (Keras's mean_absolute_error per sample, weighted). */
export function sumAbsoluteError(rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize): f32 {
  return <f32>elementwiseForward(LOSS_MEAN_ABSOLUTE_ERROR, rows, cols, yPred, yTrue, sampleWeights, 0, 0, 1, 0);
}

/** Σᵢ wᵢ·meanⱼ(yPred − yTrue)². */
export function sumSquaredError(rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize): f32 {
  return <f32>elementwiseForward(LOSS_MEAN_SQUARED_ERROR, rows, cols, yPred, yTrue, sampleWeights, 0, 0, 1, 0);
}

/** Σᵢ wᵢ·100·meanⱼ|(yTrue − yPred) / max(|yTrue|, ε)|. */
export function sumAbsolutePercentageError(rows: i32, cols: i32, yPred: usize, yTrue: usize, sampleWeights: usize): f32 {
  return <f32>elementwiseForward(LOSS_MEAN_ABSOLUTE_PERCENTAGE_ERROR, rows, cols, yPred, yTrue, sampleWeights, 0, 0, 1, 0);
}

/**
 * out4 = [TP, FP, TN, FN], weighted counts over every element (Keras's update_confusion_matrix_variables with
 * one threshold): predicted positive when yPred > threshold, actually positive when yTrue != 0 (a cast to bool).
 */
export function confusionCounts(
  rows: i32, cols: i32, yPred: usize, yTrue: usize, threshold: f32, sampleWeights: usize, out4: usize,
): void {
  const thresholdV = f32x4.splat(threshold);
  const zero = f32x4.splat(0);
  const flat = sampleWeights == 0 || cols == 1;
  const runs = flat ? 1 : rows;
  const length = flat ? rows * cols : cols;
  // float32 lanes within a stretch of at most 64 chunks (or one row), float64 across them: exact for counts,
  // accurate for weights, and the order depends only on the sizes.
  let tp: f64 = 0, fp: f64 = 0, tn: f64 = 0, fn: f64 = 0;
  for (let r = 0; r < runs; r++) {
    const base = <usize>r * <usize>length << 2;
    const rowWeight = f32x4.splat(flat ? 1 : weightOf(sampleWeights, r));
    for (let start = 0; start < length; start += 256) {
      const end = min(start + 256, length);
      let tpV = f32x4.splat(0);
      let fpV = f32x4.splat(0);
      let tnV = f32x4.splat(0);
      let fnV = f32x4.splat(0);
      for (let j = start; j < end; j += 4) {
        const offset = base + (<usize>j << 2);
        const live = min(end - j, 4);
        const p = live == 4 ? v128.load(yPred + offset) : loadPartial(yPred + offset, live, 0);
        const t = live == 4 ? v128.load(yTrue + offset) : loadPartial(yTrue + offset, live, 0);
        let w = rowWeight;
        if (flat && sampleWeights) w = live == 4 ? v128.load(sampleWeights + offset) : loadPartial(sampleWeights + offset, live, 0);
        w = v128.and(w, laneMask(live));
        const predicted = f32x4.gt(p, thresholdV);
        const actual = f32x4.ne(t, zero); // NaN != 0: NaN labels are positive, as bool(NaN) is
        tpV = f32x4.add(tpV, v128.and(w, v128.and(predicted, actual)));
        fpV = f32x4.add(fpV, v128.and(w, v128.andnot(predicted, actual)));
        fnV = f32x4.add(fnV, v128.and(w, v128.andnot(actual, predicted)));
        tnV = f32x4.add(tnV, v128.andnot(w, v128.or(predicted, actual)));
      }
      tp += <f64>sumLanes(tpV);
      fp += <f64>sumLanes(fpV);
      tn += <f64>sumLanes(tnV);
      fn += <f64>sumLanes(fnV);
    }
  }
  store<f32>(out4, <f32>tp);
  store<f32>(out4, <f32>fp, 4);
  store<f32>(out4, <f32>tn, 8);
  store<f32>(out4, <f32>fn, 12);
}

/**
 * Keras AUC's confusion counts at numThresholds evenly spaced thresholds [−ε, 1/(T−1), …, (T−2)/(T−1), 1 + ε]
 * (T = numThresholds ≥ 2; Keras's default 200): out*[k] = weighted count with yPred > threshold k (TP, FP) or
 * ≤ it (TN, FN). As Keras's optimized path (metrics_utils._update_confusion_matrix_variables_optimized):
 * yPred is clipped to [0, 1] and lands in bucket max(ceil(p·(T−1)) − 1, 0), computed in float32; TP/FP are the
 * reversed cumulative sums of the buckets and TN = ΣFalse − FP, FN = ΣTrue − TP. NaN predictions go to bucket 0.
 * Scalar on purpose: the bucket scatter does not vectorize.
 */
export function thresholdCounts(
  rows: i32, cols: i32, yPred: usize, yTrue: usize, numThresholds: i32, sampleWeights: usize,
  outTp: usize, outFp: usize, outTn: usize, outFn: usize,
): void {
  if (numThresholds < 2) return;
  for (let k = 0; k < numThresholds; k++) {
    store<f32>(outTp + (<usize>k << 2), 0);
    store<f32>(outFp + (<usize>k << 2), 0);
  }
  const steps = <f32>(numThresholds - 1);
  for (let i = 0; i < rows; i++) {
    const w = weightOf(sampleWeights, i);
    for (let j = 0; j < cols; j++) {
      const offset = (<usize>i * <usize>cols + <usize>j) << 2;
      const p = min(max(load<f32>(yPred + offset), <f32>0), <f32>1);
      const bucket = p != p ? 0 : max(<i32>Mathf.ceil(p * steps) - 1, 0);
      const out = (load<f32>(yTrue + offset) != 0 ? outTp : outFp) + (<usize>bucket << 2);
      store<f32>(out, load<f32>(out) + w);
    }
  }
  // TN[k] / FN[k] sum the buckets below k (Keras's ΣFalse − FP[k], without the cancellation), TP[k] / FP[k]
  // those from k up (a reversed cumulative sum); running sums in float64.
  let below: f64 = 0;
  let belowTrue: f64 = 0;
  for (let k = 0; k < numThresholds; k++) {
    const here = <usize>k << 2;
    store<f32>(outTn + here, <f32>below);
    store<f32>(outFn + here, <f32>belowTrue);
    below += <f64>load<f32>(outFp + here);
    belowTrue += <f64>load<f32>(outTp + here);
  }
  let above: f64 = 0;
  let aboveTrue: f64 = 0;
  for (let k = numThresholds - 1; k >= 0; k--) {
    const here = <usize>k << 2;
    above += <f64>load<f32>(outFp + here);
    aboveTrue += <f64>load<f32>(outTp + here);
    store<f32>(outFp + here, <f32>above);
    store<f32>(outTp + here, <f32>aboveTrue);
  }
}
