/**
 * Checks that relate inputs to each other and to the model: sample counts, per-sample shapes, integer class
 * labels, sample and class weights. All throw before any state changes, naming function, argument, expected, got.
 */
import { describeValue, formatPath, formatShape, unflattenIndex } from "../utils/describe.js";
import { roundHalfEven } from "../utils/python-format.js";
import { type FloatData, sampleSize, toFloatData } from "./convert.js";

/** `fit: x has 100 samples but y has 99`. */
export function checkSameSampleCount(a: FloatData, b: FloatData, fn: string, argA: string, argB: string): void {
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(
      `${fn}: ${argA} has ${a.shape[0]} samples but ${argB} has ${b.shape[0]}; expected the same number of samples`,
    );
  }
}

/**
 * Checks x against the model's per-sample input shape (without the batch axis; null = any size) and returns it,
 * reshaped from [n] to [n, 1] when the model takes one feature, as Keras accepts a flat vector there.
 * `fit: x has 7 features per sample but the model's input shape is [8]`.
 */
export function checkInputShape(
  x: FloatData,
  inputShape: readonly (number | null)[],
  fn: string,
  arg: string,
): FloatData {
  if (x.shape.length === 1 && inputShape.length === 1 && (inputShape[0] === 1 || inputShape[0] === null)) {
    return { data: x.data, shape: [x.shape[0], 1] };
  }
  // NOTE: no slice on the way that matches: a Tensor's shape is frozen, and V8 slices frozen arrays on its slow
  // path (~250 ns, a visible part of a one-sample predict).
  if (matchesPerSample(x.shape, inputShape)) return x;
  const perSample = x.shape.slice(1);
  if (inputShape.length === 1 && perSample.length === 1) {
    throw new Error(
      `${fn}: ${arg} has ${perSample[0]} features per sample but the model's input shape is ${formatShape(inputShape)}`,
    );
  }
  throw new Error(
    `${fn}: ${arg} has shape ${formatShape(x.shape)} (per sample ${formatShape(perSample)}) ` +
      `but the model's input shape is ${formatShape(inputShape)}`,
  );
}

/** Whether shape[1..] equals inputShape (null: any size). */
function matchesPerSample(shape: readonly number[], inputShape: readonly (number | null)[]): boolean {
  if (shape.length !== inputShape.length + 1) return false;
  for (let axis = 0; axis < inputShape.length; axis++) {
    const dim = inputShape[axis];
    if (dim !== null && dim !== shape[axis + 1]) return false;
  }
  return true;
}

/**
 * Integer class labels for sparse categorical losses / metrics: shape [n] or [n, 1], each an integer in
 * [0, numClasses). Returns the labels with shape [n].
 * `fit: y[4] is 10 but the model's output has 10 classes; expected integer labels in [0, 9]`.
 */
export function checkSparseLabels(y: FloatData, numClasses: number, fn: string, arg: string): FloatData {
  const n = y.shape[0];
  if (!(y.shape.length === 1 || (y.shape.length === 2 && y.shape[1] === 1))) {
    throw new Error(
      `${fn}: ${arg} has shape ${formatShape(y.shape)}; expected one integer class label per sample ` +
        `(shape [${n}] or [${n}, 1])`,
    );
  }
  checkLabelRange(y, numClasses, fn, arg);
  return y.shape.length === 1 ? y : { data: y.data, shape: [n] };
}

/** Every value of `y` is an integer class in [0, numClasses); the error names the first that is not. */
export function checkLabelRange(y: FloatData, numClasses: number, fn: string, arg: string): void {
  const labels = y.data;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      const where = formatPath(arg, unflattenIndex(i, y.shape));
      const reason = Number.isInteger(label)
        ? ` but the model's output has ${numClasses} classes`
        : " (not an integer)";
      throw new Error(`${fn}: ${where} is ${label}${reason}; expected integer labels in [0, ${numClasses - 1}]`);
    }
  }
}

/**
 * One weight per sample, shape [n] or [n, 1], finite; returned with shape [n].
 * `fit: sampleWeight has 99 entries but x has 100 samples`.
 */
export function toSampleWeights(value: unknown, numSamples: number, fn: string, arg = "sampleWeight"): FloatData {
  const weights = toFloatData(value, fn, arg);
  if (!(weights.shape.length === 1 || (weights.shape.length === 2 && weights.shape[1] === 1))) {
    throw new Error(
      `${fn}: ${arg} has shape ${formatShape(weights.shape)}; expected one weight per sample (shape [${numSamples}])`,
    );
  }
  if (weights.shape[0] !== numSamples) {
    throw new Error(`${fn}: ${arg} has ${weights.shape[0]} entries but x has ${numSamples} samples`);
  }
  return weights.shape.length === 1 ? weights : { data: weights.data, shape: [numSamples] };
}

/** Class index → weight, from `{ 0: 1, 1: 4 }` (or a Map). Keys must be non-negative integers, weights finite. */
export function normalizeClassWeight(value: unknown, fn: string): Map<number, number> {
  let entries: [unknown, unknown][];
  if (value instanceof Map) entries = [...value.entries()];
  else if (typeof value === "object" && value !== null && !Array.isArray(value)) entries = Object.entries(value);
  else {
    throw new Error(
      `${fn}: classWeight must be an object mapping class indices to weights (e.g. { 0: 1, 1: 4 }), got ${describeValue(value)}`,
    );
  }
  const weights = new Map<number, number>();
  for (const [key, weight] of entries) {
    const index = typeof key === "number" ? key : typeof key === "string" && key.trim() !== "" ? Number(key) : NaN;
    if (!Number.isInteger(index) || index < 0) {
      throw new Error(
        `${fn}: classWeight keys must be class indices (non-negative integers), got ${describeValue(key)}`,
      );
    }
    if (typeof weight !== "number" || !Number.isFinite(weight)) {
      throw new Error(`${fn}: classWeight[${index}] must be a finite number, got ${describeValue(weight)}`);
    }
    if (weight < 0) throw new Error(`${fn}: classWeight[${index}] must be >= 0 (a weight), got ${weight}`);
    weights.set(index, weight);
  }
  return weights;
}

/**
 * Keras's class_weight → per-sample weights: the class of a sample is argmax(y) for one-hot rows (last axis > 1),
 * else y rounded half-to-even; classes missing from the map weigh 1.
 */
export function classWeightToSampleWeights(y: FloatData, classWeight: Map<number, number>): Float32Array {
  const n = y.shape[0];
  const width = sampleSize(y);
  const oneHot = y.shape.length > 1 && y.shape[y.shape.length - 1] !== 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let label: number;
    if (oneHot) {
      label = 0;
      for (let k = 1; k < width; k++) if (y.data[i * width + k] > y.data[i * width + label]) label = k;
    } else {
      label = roundHalfEven(y.data[i * width]);
    }
    out[i] = classWeight.get(label) ?? 1;
  }
  return out;
}
