/**
 * Which way a monitored quantity improves, for mode "auto" (Keras's MonitorCallback._set_monitor_op):
 * "loss" goes down; a compiled metric goes the way the model says (metric._direction in Keras); otherwise the
 * direction of Keras's built-in metric of that name.
 */
import { listNames } from "../utils/describe.js";
import type { TrainingModel } from "./callback.js";

export type MonitorMode = "auto" | "min" | "max";
export const MONITOR_MODES: readonly MonitorMode[] = ["auto", "min", "max"];

/** Keras 3 metrics whose _direction is "up". */
const UP = new Set([
  "accuracy",
  "acc",
  "binary_accuracy",
  "categorical_accuracy",
  "sparse_categorical_accuracy",
  "top_k_categorical_accuracy",
  "sparse_top_k_categorical_accuracy",
  "auc",
  "precision",
  "recall",
  "precision_at_recall",
  "recall_at_precision",
  "sensitivity_at_specificity",
  "specificity_at_sensitivity",
  "f1_score",
  "fbeta_score",
  "r2_score",
  "cosine_similarity",
  "iou",
  "mean_iou",
  "binary_iou",
  "one_hot_iou",
  "one_hot_mean_iou",
  "true_positives",
  "true_negatives",
  "pearson_correlation",
  "concordance_correlation",
]);

/** Keras 3 metrics whose _direction is "down" (errors, crossentropies, hinge losses as metrics). */
const DOWN = new Set([
  "loss",
  "mean_squared_error",
  "mse",
  "mean_absolute_error",
  "mae",
  "mean_absolute_percentage_error",
  "mape",
  "mean_squared_logarithmic_error",
  "msle",
  "root_mean_squared_error",
  "log_cosh_error",
  "logcosh",
  "poisson",
  "kl_divergence",
  "kld",
  "binary_crossentropy",
  "categorical_crossentropy",
  "sparse_categorical_crossentropy",
  "binary_focal_crossentropy",
  "categorical_focal_crossentropy",
  "hinge",
  "squared_hinge",
  "categorical_hinge",
  "false_positives",
  "false_negatives",
]);

/** "min" or "max" for `monitor`, or undefined when mode is "auto" and nothing tells the direction. */
export function resolveMonitorMode(
  monitor: string,
  mode: MonitorMode,
  model: TrainingModel | undefined,
): "min" | "max" | undefined {
  if (mode !== "auto") return mode;
  const name = monitor.startsWith("val_") ? monitor.slice(4) : monitor;
  if (name === "loss" || name.endsWith("_loss")) return "min";
  const fromModel = model?.metricDirection?.(name);
  if (fromModel) return fromModel === "up" ? "max" : "min";
  if (UP.has(name)) return "max";
  if (DOWN.has(name)) return "min";
  return undefined;
}

export function unknownDirectionError(fn: string, monitor: string): Error {
  return new Error(
    `${fn}: cannot tell whether monitor ${JSON.stringify(monitor)} should be minimized or maximized; ` +
      `pass mode: one of ${listNames(["min", "max"])}`,
  );
}
