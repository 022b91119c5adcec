import type { Loss } from "../losses/loss.js";
import { AUC, ThresholdMetric } from "./confusion-metrics.js";
import {
  binaryAccuracy,
  categoricalAccuracy,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  RootMeanSquaredError,
  SparseTopKCategoricalAccuracy,
  sparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from "./mean-metrics.js";
import { Metric } from "./metric.js";

export { AUC, ThresholdMetric } from "./confusion-metrics.js";
export {
  KernelMeanMetric,
  RootMeanSquaredError,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from "./mean-metrics.js";
export { type BatchView, MeanMetric, Metric } from "./metric.js";

export type MetricIdentifier = string | Metric;

type MetricFactory = (name: string) => Metric;

/** Metrics by canonical snake_case name; each also answers to its camelCase and short names. */
const FACTORIES: Record<string, MetricFactory> = {
  binary_accuracy: (name) => binaryAccuracy(name),
  categorical_accuracy: (name) => categoricalAccuracy(name),
  sparse_categorical_accuracy: (name) => sparseCategoricalAccuracy(name),
  top_k_categorical_accuracy: (name) => new TopKCategoricalAccuracy(5, name),
  sparse_top_k_categorical_accuracy: (name) => new SparseTopKCategoricalAccuracy(5, name),
  mean_absolute_error: (name) => meanAbsoluteError(name),
  mean_squared_error: (name) => meanSquaredError(name),
  root_mean_squared_error: (name) => new RootMeanSquaredError(name),
  mean_absolute_percentage_error: (name) => meanAbsolutePercentageError(name),
  precision: (name) => new ThresholdMetric("Precision", name),
  recall: (name) => new ThresholdMetric("Recall", name),
  auc: (name) => new AUC(name),
};

const ALIASES: Record<string, string> = {
  mae: "mean_absolute_error",
  mse: "mean_squared_error",
  rmse: "root_mean_squared_error",
  mape: "mean_absolute_percentage_error",
  AUC: "auc",
  MSE: "mean_squared_error",
  MAE: "mean_absolute_error",
  MAPE: "mean_absolute_percentage_error",
};
for (const name of Object.keys(FACTORIES)) {
  ALIASES[name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())] = name;
}

/**
 * Keras 3's "accuracy" (trainers/compile_utils.py, get_metric → is_binary_or_sparse_categorical): binary when
 * the output's last axis has size 1; sparse categorical when the targets are integer labels (here: a sparse
 * loss, whose y has one rank less); categorical otherwise. It looks at shapes only, not at the loss, so
 * binary_crossentropy over several outputs (multi-label) gets categorical accuracy, as in Keras 3.
 */
function accuracyFor(loss: Loss, lastAxis: number, name: string): Metric {
  if (lastAxis === 1) return binaryAccuracy(name);
  if (loss.sparseLabels) return sparseCategoricalAccuracy(name);
  return categoricalAccuracy(name);
}

/**
 * The metric objects for compile's `metrics`, keyed in history by the string given (Keras's behaviour).
 * `lastAxis`: the size of the output's last axis (metrics score each row of it).
 */
export function resolveMetrics(
  identifiers: readonly MetricIdentifier[],
  loss: Loss,
  lastAxis: number,
  argument: string,
): Metric[] {
  const metrics = identifiers.map((identifier) => {
    if (identifier instanceof Metric) return identifier;
    if (typeof identifier !== "string") {
      throw new Error(`${argument}: expected metric names or metrics.* instances, got ${typeof identifier}`);
    }
    if (identifier === "accuracy" || identifier === "acc") return accuracyFor(loss, lastAxis, identifier);
    const canonical = (Object.hasOwn(ALIASES, identifier) ? ALIASES[identifier] : undefined) ?? identifier;
    // NOTE: own keys only, so that "constructor" or "__proto__" from a file is an unknown name, not Object's.
    const factory = Object.hasOwn(FACTORIES, canonical) ? FACTORIES[canonical] : undefined;
    if (!factory) {
      throw new Error(
        `${argument}: unknown metric ${JSON.stringify(identifier)}; expected one of accuracy, ${Object.keys(FACTORIES).join(", ")}, mae, mse, rmse, mape (or their camelCase names)`,
      );
    }
    const metric = factory(identifier);
    const wantsLabels = canonical === "sparse_categorical_accuracy";
    if ((wantsLabels || canonical === "categorical_accuracy") && loss.sparseLabels !== wantsLabels) {
      metric.dispose();
      throw new Error(
        `${argument}: ${identifier} expects ${wantsLabels ? "integer labels" : "one-hot targets"} but the loss ${loss.lossName} uses ${loss.sparseLabels ? "integer labels" : "one-hot targets"}`,
      );
    }
    return metric;
  });
  const names = metrics.map((metric) => metric.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i || name === "loss");
  if (duplicate)
    throw new Error(`${argument}: metric names must be unique and not "loss", got ${JSON.stringify(duplicate)} twice`);
  return metrics;
}
