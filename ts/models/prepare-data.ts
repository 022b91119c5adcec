import { toFloatData, type FloatData } from "../data/convert.js";
import type { Loss } from "../losses/loss.js";
import type { SampleSet } from "./batch-buffers.js";

export type ClassWeight = Record<number | string, number>;

export interface PrepareOptions {
  fn: string;
  /** Per-sample input shape of the (built) model. */
  inputShape: readonly number[];
  outputWidth: number;
  loss: Loss | null;
  sampleWeight?: unknown;
  classWeight?: ClassWeight;
  /** Names in errors: "x" / "y", or "validationData[0]" / "validationData[1]". */
  xName?: string;
  yName?: string;
}

/** Checks that x holds samples of the model's input shape; returns the sample count. */
export function checkFeatures(x: FloatData, inputShape: readonly number[], fn: string, xName = "x"): number {
  const perSample = x.shape.slice(1);
  const expected = inputShape.reduce((product, dim) => product * dim, 1);
  const got = perSample.reduce((product, dim) => product * dim, 1);
  const sameShape = perSample.length === inputShape.length && perSample.every((dim, i) => dim === inputShape[i]);
  const flatMatch = x.shape.length === 2 && got === expected; // NOTE: flat rows may feed a [h, w] input.
  if (!sameShape && !flatMatch) {
    const what = x.shape.length === 2 ? `${got} features per sample` : `samples of shape [${perSample.join(", ")}]`;
    throw new Error(`${fn}: ${xName} has ${what} but the model's input shape is [${inputShape.join(", ")}]`);
  }
  return x.shape[0];
}

/**
 * Converts and checks x, y, sample and class weights into a SampleSet, before any state changes:
 * shapes against the model, sparse labels are integers in range, weights finite and ≥ 0.
 */
export function prepareSamples(xValue: unknown, yValue: unknown, options: PrepareOptions): SampleSet {
  const { fn, outputWidth, loss } = options;
  const xName = options.xName ?? "x";
  const yName = options.yName ?? "y";
  const x = toFloatData(xValue, fn, xName);
  const count = checkFeatures(x, options.inputShape, fn, xName);
  const features = x.data.length / count;
  if (yValue === undefined || yValue === null) {
    throw new Error(`${fn}: ${yName} is required (the targets for ${xName}), got ${String(yValue)}`);
  }
  const y = toFloatData(yValue, fn, yName);
  if (y.shape[0] !== count) {
    throw new Error(`${fn}: ${xName} has ${count} samples but ${yName} has ${y.shape[0]}; they must match`);
  }
  const perSample = y.data.length / count;
  let targets: Float32Array | Int32Array;
  let targetWidth: number;
  if (loss?.sparseLabels) {
    if (perSample !== 1) {
      throw new Error(`${fn}: ${yName} must hold one integer class label per sample for ${loss.lossName}, got ${perSample} values per sample`);
    }
    targets = toLabels(y.data, outputWidth, fn, yName);
    targetWidth = 1;
  } else {
    if (perSample !== outputWidth) {
      throw new Error(`${fn}: ${yName} has ${perSample} values per sample but the model outputs ${outputWidth}`);
    }
    targets = y.data;
    targetWidth = outputWidth;
  }
  const weights = combineWeights(count, targets, targetWidth, options);
  return { count, x: x.data, features, y: targets, targetWidth, weights };
}

function toLabels(values: Float32Array, classes: number, fn: string, yName: string): Int32Array {
  const labels = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const label = values[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new Error(`${fn}: ${yName}[${i}] is ${label} but class labels must be integers in [0, ${classes - 1}] (the model outputs ${classes} classes)`);
    }
    labels[i] = label;
  }
  return labels;
}

/** sample_weight × class_weight per sample (Keras multiplies them), or null when neither is given. */
function combineWeights(count: number, targets: Float32Array | Int32Array, width: number, options: PrepareOptions): Float32Array | null {
  const { fn, sampleWeight, classWeight } = options;
  let weights: Float32Array | null = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    const given = toFloatData(sampleWeight, fn, "sampleWeight");
    if (given.data.length !== count) {
      throw new Error(`${fn}: sampleWeight must hold one weight per sample (${count}), got ${given.data.length}`);
    }
    const negative = given.data.findIndex((weight) => weight < 0);
    if (negative >= 0) throw new Error(`${fn}: sampleWeight[${negative}] is ${given.data[negative]}; weights must be >= 0`);
    weights = given.data.slice();
  }
  if (classWeight !== undefined && classWeight !== null) {
    if (typeof classWeight !== "object" || Array.isArray(classWeight)) {
      throw new Error(`${fn}: classWeight must be an object mapping class index to weight, e.g. { 0: 1, 1: 4 }, got ${JSON.stringify(classWeight)}`);
    }
    for (const [key, weight] of Object.entries(classWeight)) {
      if (!/^\d+$/.test(key) || typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
        throw new Error(`${fn}: classWeight must map class indices to finite weights >= 0, got ${key}: ${String(weight)}`);
      }
    }
    weights ??= new Float32Array(count).fill(1);
    for (let i = 0; i < count; i++) {
      const label = classOf(targets, width, i);
      const weight = classWeight[label];
      if (weight === undefined) {
        throw new Error(`${fn}: classWeight has no weight for class ${label} (sample ${i}); give a weight for every class`);
      }
      weights[i] *= weight;
    }
  }
  return weights;
}

/** Keras's class of a target: the label, the argmax of a one-hot row, or the rounded value of one output. */
function classOf(targets: Float32Array | Int32Array, width: number, sample: number): number {
  if (targets instanceof Int32Array) return targets[sample];
  if (width === 1) return Math.round(targets[sample]);
  let best = 0;
  for (let j = 1; j < width; j++) if (targets[sample * width + j] > targets[sample * width + best]) best = j;
  return best;
}

/** Keras's validation_split: the last `fraction` of the samples, taken before any shuffling. */
export function splitValidation(set: SampleSet, fraction: number): [SampleSet, SampleSet] {
  const splitAt = Math.ceil(set.count * (1 - fraction));
  if (splitAt <= 0 || splitAt >= set.count) {
    throw new Error(`fit: validationSplit ${fraction} leaves ${splitAt} training and ${set.count - splitAt} validation samples of ${set.count}; both need at least one`);
  }
  const part = (start: number, end: number): SampleSet => ({
    count: end - start,
    x: set.x.subarray(start * set.features, end * set.features),
    features: set.features,
    y: set.y ? set.y.subarray(start * set.targetWidth, end * set.targetWidth) : null,
    targetWidth: set.targetWidth,
    weights: set.weights ? set.weights.subarray(start, end) : null,
  });
  return [part(0, splitAt), part(splitAt, set.count)];
}
