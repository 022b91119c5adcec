/**
 * validationSplit as Keras does it: the LAST fraction of the samples, taken before any shuffling, becomes the
 * validation set (split_at = floor(n * (1 - validationSplit))). Slices share memory with the input (no copy).
 */

import type { FloatData } from "../data/convert.js";
import { describeValue } from "../utils/describe.js";

/** Checks the option itself: a number in [0, 1). */
export function checkValidationSplit(value: unknown, fn = "fit"): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) {
    throw new Error(`${fn}: validationSplit must be a number in [0, 1), got ${describeValue(value)}`);
  }
  return value;
}

/** Index of the first validation sample; throws when either side would be empty. */
export function validationSplitIndex(numSamples: number, validationSplit: number, fn = "fit"): number {
  checkValidationSplit(validationSplit, fn);
  const splitAt = Math.floor(numSamples * (1 - validationSplit));
  if (splitAt === 0 || splitAt === numSamples) {
    throw new Error(
      `${fn}: validationSplit ${validationSplit} of ${numSamples} samples leaves ` +
        `${splitAt === 0 ? "no training" : "no validation"} samples; provide more data or another validationSplit`,
    );
  }
  return splitAt;
}

/** Samples [start, end) of `data`, sharing its buffer. */
export function sliceSamples(data: FloatData, start: number, end: number): FloatData {
  let rowSize = 1;
  for (let axis = 1; axis < data.shape.length; axis++) rowSize *= data.shape[axis];
  return { data: data.data.subarray(start * rowSize, end * rowSize), shape: [end - start, ...data.shape.slice(1)] };
}

export interface SplitArrays {
  x: FloatData;
  y: FloatData;
  sampleWeight?: FloatData;
}

/** Splits x, y (and sample weights) into training = first samples, validation = last samples. */
export function splitValidation(
  arrays: SplitArrays,
  validationSplit: number,
  fn = "fit",
): { train: SplitArrays; validation: SplitArrays } {
  const n = arrays.x.shape[0];
  const splitAt = validationSplitIndex(n, validationSplit, fn);
  const part = (start: number, end: number): SplitArrays => {
    const out: SplitArrays = { x: sliceSamples(arrays.x, start, end), y: sliceSamples(arrays.y, start, end) };
    if (arrays.sampleWeight) out.sampleWeight = sliceSamples(arrays.sampleWeight, start, end);
    return out;
  };
  return { train: part(0, splitAt), validation: part(splitAt, n) };
}
