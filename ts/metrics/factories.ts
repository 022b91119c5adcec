// Keras-style metric constructors for compile({ metrics: [metrics.precision({ thresholds: 0.7 })] }).
import { checkOptionKeys } from "../utils/options.js";
import { AUC, ThresholdMetric } from "./confusion-metrics.js";
import * as mean from "./mean-metrics.js";

interface Named {
  name?: string;
}

/** The options object of factory `fn`, its names checked against `valid` (plus name). */
function options<T extends object>(fn: string, value: T | undefined, valid: readonly string[] = []): T {
  checkOptionKeys(`metrics.${fn}`, value, ["name", ...valid]);
  return value ?? ({} as T);
}

export const binaryAccuracy = (o?: Named & { threshold?: number }) => {
  const { name, threshold } = options("binaryAccuracy", o, ["threshold"]);
  return mean.binaryAccuracy(name, threshold);
};
export const categoricalAccuracy = (o?: Named) => mean.categoricalAccuracy(options("categoricalAccuracy", o).name);
export const sparseCategoricalAccuracy = (o?: Named) =>
  mean.sparseCategoricalAccuracy(options("sparseCategoricalAccuracy", o).name);
export const topKCategoricalAccuracy = (o?: Named & { k?: number }) => {
  const { k, name } = options("topKCategoricalAccuracy", o, ["k"]);
  return new mean.TopKCategoricalAccuracy(k, name);
};
export const sparseTopKCategoricalAccuracy = (o?: Named & { k?: number }) => {
  const { k, name } = options("sparseTopKCategoricalAccuracy", o, ["k"]);
  return new mean.SparseTopKCategoricalAccuracy(k, name);
};
export const meanAbsoluteError = (o?: Named) => mean.meanAbsoluteError(options("meanAbsoluteError", o).name);
export const meanSquaredError = (o?: Named) => mean.meanSquaredError(options("meanSquaredError", o).name);
export const rootMeanSquaredError = (o?: Named) =>
  new mean.RootMeanSquaredError(options("rootMeanSquaredError", o).name);
export const meanAbsolutePercentageError = (o?: Named) =>
  mean.meanAbsolutePercentageError(options("meanAbsolutePercentageError", o).name);
export const precision = (o?: Named & { thresholds?: number }) => {
  const { name = "precision", thresholds = 0.5 } = options("precision", o, ["thresholds"]);
  return new ThresholdMetric("Precision", name, thresholds);
};
export const recall = (o?: Named & { thresholds?: number }) => {
  const { name = "recall", thresholds = 0.5 } = options("recall", o, ["thresholds"]);
  return new ThresholdMetric("Recall", name, thresholds);
};
export const auc = (o?: Named & { numThresholds?: number }) => {
  const { name = "auc", numThresholds = 200 } = options("auc", o, ["numThresholds"]);
  return new AUC(name, numThresholds);
};
