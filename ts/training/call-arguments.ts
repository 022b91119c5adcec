/**
 * The two call shapes of fit / evaluate, as Keras's: `fit(x, y, options)` with arrays, or
 * `fit(dataset, options)` with an iterable / async iterable of batches. An ARRAY of batches is a data set only
 * when y is left out and its entries look like batches ([x, y] pairs of arrays/Tensors, or { x, y });
 * otherwise a missing y is an error.
 */

import { isNumericTypedArray } from "../data/flatten.js";
import { Tensor } from "../tensor.js";
import { describeValue } from "../utils/describe.js";
import { type BatchSource, isDataset } from "./dataset-adapter.js";

export type CallArguments =
  | { kind: "dataset"; dataset: BatchSource; options: unknown }
  | { kind: "arrays"; x: unknown; y: unknown; options: unknown };

/**
 * Sorts out (x, yOrOptions, options) for fit / evaluate. `outputNames`: a model of several outputs takes y
 * keyed by output name, so an object with one of those keys is y, not the options.
 */
export function parseCallArguments(
  fn: string,
  x: unknown,
  yOrOptions: unknown,
  options: unknown,
  outputNames: readonly string[] = [],
): CallArguments {
  const keyedTargets =
    outputNames.length > 1 &&
    typeof yOrOptions === "object" &&
    yOrOptions !== null &&
    Object.keys(yOrOptions).some((key) => outputNames.includes(key));
  if (keyedTargets) return { kind: "arrays", x, y: yOrOptions, options };
  if (isDataset(x) || (Array.isArray(x) && isOptionsLike(yOrOptions) && options === undefined && looksLikeBatches(x))) {
    if (options !== undefined || !isOptionsLike(yOrOptions)) {
      throw new Error(
        `${fn}: x is a data set, so the next argument must be the options object (targets come inside each batch); ` +
          `got ${describeValue(options !== undefined ? options : yOrOptions)}${options !== undefined ? " as a third argument" : ""}`,
      );
    }
    return { kind: "dataset", dataset: x as BatchSource, options: yOrOptions };
  }
  if (yOrOptions === undefined || isOptionsLike(yOrOptions)) {
    throw new Error(
      `${fn}: y is missing; call ${fn}(x, y, options) with targets, or pass a data set of [x, y] batches as ${fn}(dataset, options)`,
    );
  }
  return { kind: "arrays", x, y: yOrOptions, options };
}

/** A plain options object (or nothing): not data. */
function isOptionsLike(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (value instanceof Tensor || ArrayBuffer.isView(value)) return false;
  return !isDataset(value);
}

/** Every entry is [x, y] / [x, y, w] of arrays, Tensors or typed arrays, or an object with x — not rows of numbers. */
function looksLikeBatches(values: unknown[]): boolean {
  if (values.length === 0) return false;
  return values.every((entry) => {
    if (Array.isArray(entry)) {
      return (
        entry.length >= 2 &&
        entry.length <= 3 &&
        entry.every((part) => Array.isArray(part) || part instanceof Tensor || isNumericTypedArray(part))
      );
    }
    return (
      typeof entry === "object" &&
      entry !== null &&
      !(entry instanceof Tensor) &&
      !ArrayBuffer.isView(entry) &&
      "x" in entry
    );
  });
}
