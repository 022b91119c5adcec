import {
  checkInputShape,
  checkLabelRange,
  checkSameSampleCount,
  checkSparseLabels,
  classWeightToSampleWeights,
  toSampleWeights,
} from "../data/checks.js";
import { type FloatData, sampleSize, toFloatData } from "../data/convert.js";
import type { Loss } from "../losses/loss.js";
import type { SampleSet } from "../models/batch-buffers.js";
import { formatShape } from "../utils/describe.js";

export interface SampleSetContext {
  fn: string;
  /** Per-sample input shape of the (built) model. */
  inputShape: readonly number[];
  /** Per-sample output shape of the (built) model. */
  outputShape: readonly number[];
  outputWidth: number;
  loss: Loss;
  /** Argument names for errors: ["x", "y"], or ["validationData[0]", "validationData[1]"]. */
  names?: readonly [string, string];
  /** Several inputs: each one's width in a packed row of x (already checked by packInputs). */
  inputWidths?: readonly number[];
  /** Several outputs: each one's target width in a packed row of y (already checked by packTargets). */
  targetWidths?: readonly number[];
  /** Converts y (several outputs: checks and packs it per output). */
  targets?: (value: unknown, arg: string) => FloatData;
}

/**
 * Checks converted x, y (and weights) against the model and packs them as a SampleSet: x matches the input
 * shape, y has one value per output (or one integer label in range for sparse losses), the sample counts agree,
 * and sample_weight × class_weight becomes one weight per sample. Nothing is changed before all checks pass.
 */
export function toSampleSet(
  xData: FloatData,
  yData: FloatData,
  sampleWeight: FloatData | undefined,
  classWeight: Map<number, number> | undefined,
  context: SampleSetContext,
): SampleSet {
  const { fn, outputWidth, outputShape, loss } = context;
  const [xName, yName] = context.names ?? ["x", "y"];
  const x = checkInputShape(xData, context.inputShape, fn, xName);
  checkSameSampleCount(x, yData, fn, xName, yName);
  const count = x.shape[0];
  if (context.targetWidths) {
    if (classWeight)
      throw new Error(
        `${fn}: classWeight is only supported for models with a single output (as in Keras); pass sampleWeight instead`,
      );
    return {
      count,
      x: x.data,
      features: x.data.length / count,
      inputWidths: context.inputWidths,
      y: yData.data,
      targetWidth: yData.data.length / count,
      targetWidths: context.targetWidths,
      weights: checkedWeights(sampleWeight ? sampleWeight.data : null, fn),
    };
  }
  // An output of shape [..., classes] has one loss (and one integer label) per position of the leading axes.
  const positions = outputShape.length > 1 ? outputWidth / outputShape[outputShape.length - 1] : 1;
  if (classWeight && positions > 1) {
    throw new Error(
      `${fn}: classWeight needs one class per sample, but the model's output has shape ${formatShape(outputShape)} ` +
        "(one per position); Keras refuses class weights for such targets too — pass sampleWeight instead",
    );
  }
  let targets: Float32Array | Int32Array;
  if (loss.sparseLabels && positions > 1) {
    targets = positionLabels(yData, outputShape, fn, yName);
  } else if (loss.sparseLabels) {
    targets = Int32Array.from(checkSparseLabels(yData, outputWidth, fn, yName).data);
  } else {
    const perSample = sampleSize(yData);
    if (perSample !== outputWidth) {
      throw new Error(`${fn}: ${yName} has ${perSample} values per sample but the model outputs ${outputWidth}`);
    }
    targets = yData.data;
  }
  let weights: Float32Array | null = sampleWeight ? sampleWeight.data : null;
  if (classWeight) {
    const classWeights = classWeightToSampleWeights(yData, classWeight);
    if (weights) for (let i = 0; i < count; i++) classWeights[i] *= weights[i];
    weights = classWeights;
  }
  checkedWeights(weights, fn);
  return {
    count,
    x: x.data,
    features: x.data.length / count,
    inputWidths: context.inputWidths,
    y: targets,
    targetWidth: loss.sparseLabels ? positions : outputWidth,
    weights,
  };
}

/**
 * Integer labels for an output of shape [...positions, classes]: y per sample has the leading shape (or it
 * with a trailing 1, as Keras's squeeze), each value an integer class in [0, classes).
 */
function positionLabels(y: FloatData, outputShape: readonly number[], fn: string, arg: string): Int32Array {
  const leading = outputShape.slice(0, -1);
  const classes = outputShape[outputShape.length - 1];
  const perSample = y.shape.slice(1);
  const fits = (shape: readonly number[]) =>
    shape.length === leading.length && shape.every((dim, axis) => dim === leading[axis]);
  if (!(fits(perSample) || (perSample[perSample.length - 1] === 1 && fits(perSample.slice(0, -1))))) {
    throw new Error(
      `${fn}: ${arg} has per-sample shape ${formatShape(perSample)}; the model's output has shape ${formatShape(outputShape)}, ` +
        `so expected one integer class label per position: per-sample shape ${formatShape(leading)}`,
    );
  }
  checkLabelRange(y, classes, fn, arg);
  return Int32Array.from(y.data);
}

/** Converts raw user targets and sample weights for converted x, and packs them; see toSampleSet. */
export function prepareSamples(
  x: FloatData,
  yValue: unknown,
  sampleWeightValue: unknown,
  classWeight: Map<number, number> | undefined,
  context: SampleSetContext,
): SampleSet {
  const yName = context.names?.[1] ?? "y";
  const y = context.targets ? context.targets(yValue, yName) : toFloatData(yValue, context.fn, yName);
  const weights =
    sampleWeightValue === undefined || sampleWeightValue === null
      ? undefined
      : toSampleWeights(sampleWeightValue, x.shape[0], context.fn);
  return toSampleSet(x, y, weights, classWeight, context);
}

function checkedWeights(weights: Float32Array | null, fn: string): Float32Array | null {
  if (weights) {
    const negative = weights.findIndex((weight) => weight < 0);
    if (negative >= 0)
      throw new Error(`${fn}: the weight of sample ${negative} is ${weights[negative]}; weights must be >= 0`);
  }
  return weights;
}
