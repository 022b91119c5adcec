// Puts one batch (predictions, targets, optional sample weights) into wasm memory as the BatchView metrics read.
import type { BatchView } from "../../ts/metrics/metric.js";
import { put, putI32 } from "./wasm.js";

/** Dense targets shaped like the predictions (rows × cols, row-major). */
export function denseBatch(
  predictions: readonly number[],
  targets: readonly number[],
  cols: number,
  weights?: readonly number[],
): BatchView {
  return {
    rows: predictions.length / cols,
    cols,
    predictions: put(predictions),
    targets: put(targets),
    sparseTargets: false,
    sampleWeights: weights ? put(weights) : 0,
  };
}

/** Integer class labels, one per row. */
export function sparseBatch(
  predictions: readonly number[],
  labels: readonly number[],
  cols: number,
  weights?: readonly number[],
): BatchView {
  return {
    rows: labels.length,
    cols,
    predictions: put(predictions),
    targets: putI32(labels),
    sparseTargets: true,
    sampleWeights: weights ? put(weights) : 0,
  };
}
