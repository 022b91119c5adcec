import { toSnakeCase } from "../layers/names.js";
import * as factories from "../metrics/factories.js";
import type { Metric } from "../metrics/index.js";

type Json = Record<string, unknown>;
type Reader = (options: Json, refuse: (option: string) => never) => Metric;

/** A name or undefined (the factory's default name). */
const nameOf = (options: Json) => options.name as string | undefined;

/** Keras's Precision / Recall: one threshold, over every output (no top_k, no class_id). */
const threshold: (make: typeof factories.precision) => Reader = (make) => (options, refuse) => {
  if (options.topK != null) refuse("top_k");
  if (options.classId != null) refuse("class_id");
  let thresholds = options.thresholds;
  if (Array.isArray(thresholds)) {
    if (thresholds.length !== 1) refuse("thresholds (densa computes one threshold)");
    thresholds = thresholds[0];
  }
  return make({ name: nameOf(options), thresholds: (thresholds ?? undefined) as number | undefined });
};

/** The per-sample functions a MeanMetricWrapper may name (Keras's metric function names). */
const WRAPPED_FUNCTIONS: Record<string, (options: { name?: string }) => Metric> = {
  binary_accuracy: factories.binaryAccuracy,
  categorical_accuracy: factories.categoricalAccuracy,
  sparse_categorical_accuracy: factories.sparseCategoricalAccuracy,
  mean_absolute_error: factories.meanAbsoluteError,
  mean_squared_error: factories.meanSquaredError,
  mean_absolute_percentage_error: factories.meanAbsolutePercentageError,
};

/**
 * The metric classes densa computes, read back from a saved `{ class_name, config }` with every option that
 * changes the result. Options densa cannot compute are an error: a loaded model must not report another metric
 * under the saved name.
 */
const READERS: Record<string, Reader> = {
  BinaryAccuracy: (options) =>
    factories.binaryAccuracy({
      name: nameOf(options),
      threshold: (options.threshold ?? undefined) as number | undefined,
    }),
  CategoricalAccuracy: (options) => factories.categoricalAccuracy({ name: nameOf(options) }),
  SparseCategoricalAccuracy: (options) => factories.sparseCategoricalAccuracy({ name: nameOf(options) }),
  TopKCategoricalAccuracy: (options) =>
    factories.topKCategoricalAccuracy({ name: nameOf(options), k: (options.k ?? undefined) as number | undefined }),
  SparseTopKCategoricalAccuracy: (options, refuse) => {
    if (options.fromSortedIds) refuse("from_sorted_ids");
    return factories.sparseTopKCategoricalAccuracy({
      name: nameOf(options),
      k: (options.k ?? undefined) as number | undefined,
    });
  },
  MeanAbsoluteError: (options) => factories.meanAbsoluteError({ name: nameOf(options) }),
  MeanSquaredError: (options) => factories.meanSquaredError({ name: nameOf(options) }),
  RootMeanSquaredError: (options) => factories.rootMeanSquaredError({ name: nameOf(options) }),
  MeanAbsolutePercentageError: (options) => factories.meanAbsolutePercentageError({ name: nameOf(options) }),
  Precision: threshold(factories.precision),
  Recall: threshold(factories.recall),
  // Keras 2 (and Keras 3's legacy .h5 saver) writes a metric given as a function name, e.g. metrics=["accuracy"],
  // as MeanMetricWrapper { name, fn }: the mean of that per-sample function, under the name the user gave.
  MeanMetricWrapper: (options, refuse) => {
    const fn =
      typeof options.fn === "string" && Object.hasOwn(WRAPPED_FUNCTIONS, options.fn)
        ? WRAPPED_FUNCTIONS[options.fn]
        : undefined;
    if (!fn) refuse(`fn ${JSON.stringify(options.fn)}`);
    return fn!({ name: nameOf(options) });
  },
  AUC: (options, refuse) => {
    if (options.curve != null && options.curve !== "ROC") refuse("curve");
    if (options.summationMethod != null && options.summationMethod !== "interpolation") refuse("summation_method");
    if (options.multiLabel) refuse("multi_label");
    if (options.fromLogits) refuse("from_logits");
    if (options.thresholds != null) refuse("thresholds (densa spaces num_thresholds evenly)");
    if (options.labelWeights != null) refuse("label_weights");
    return factories.auc({
      name: nameOf(options),
      numThresholds: (options.numThresholds ?? undefined) as number | undefined,
    });
  },
};

/**
 * A saved metric `{ className, config }` (camelCase keys) as compile takes it: a metric object with the saved
 * name and options; a class densa does not know becomes its snake_case name, which compile refuses by name.
 */
export function metricFromConfig(className: string, config: Json, argument: string): Metric | string {
  // NOTE: own keys only, so that "constructor" or "__proto__" from a file is an unknown class, not Object's.
  const read = Object.hasOwn(READERS, className) ? READERS[className] : undefined;
  if (!read) return toSnakeCase(className);
  const refuse = (option: string): never => {
    throw new Error(
      `${argument}: the ${className} metric ${JSON.stringify(config.name ?? className)} sets ${option}, which densa cannot compute`,
    );
  };
  return read(config, refuse);
}
