import { getEngine } from "../engine/engine.js";
import { type BatchView, MeanMetric } from "./metric.js";

/** Σ wᵢ over the batch (rows when unweighted): the denominator of every weighted-mean metric. */
export function weightTotal(batch: BatchView): number {
  if (batch.sampleWeights === 0) return batch.rows;
  const weights = getEngine().view(batch.sampleWeights, batch.rows);
  let total = 0;
  for (let i = 0; i < batch.rows; i++) total += weights[i];
  return total;
}

type Counter = (batch: BatchView) => number;

/**
 * A metric that is the weighted mean of a per-sample value the kernels sum (Keras's MeanMetricWrapper):
 * accuracies, mean absolute / squared / percentage error.
 */
export class KernelMeanMetric extends MeanMetric {
  constructor(
    readonly className: string,
    name: string,
    private readonly sum: Counter,
    private readonly extraConfig: Record<string, unknown> = {},
  ) {
    super(name);
  }
  update(batch: BatchView): void {
    this.total += this.sum(batch);
    this.count += weightTotal(batch);
  }
  override getConfig() {
    return { className: this.className, config: { name: this.name, ...this.extraConfig } };
  }
}

/** Keras's RootMeanSquaredError: the square root of the weighted mean squared error. */
export class RootMeanSquaredError extends KernelMeanMetric {
  constructor(name = "root_mean_squared_error") {
    super("RootMeanSquaredError", name, (batch) =>
      getEngine().kernels.sumSquaredError(
        batch.rows,
        batch.cols,
        batch.predictions,
        batch.targets,
        batch.sampleWeights,
      ),
    );
  }
  override result(): number {
    return Math.sqrt(super.result());
  }
}

const kernels = () => getEngine().kernels;

export function binaryAccuracy(name = "binary_accuracy", threshold = 0.5): KernelMeanMetric {
  return new KernelMeanMetric(
    "BinaryAccuracy",
    name,
    (b) => kernels().countBinaryMatches(b.rows, b.cols, b.predictions, b.targets, threshold, b.sampleWeights),
    { threshold },
  );
}

export function categoricalAccuracy(name = "categorical_accuracy"): KernelMeanMetric {
  return new KernelMeanMetric("CategoricalAccuracy", name, (b) =>
    kernels().countCategoricalMatches(b.rows, b.cols, b.predictions, b.targets, b.sampleWeights),
  );
}

export function sparseCategoricalAccuracy(name = "sparse_categorical_accuracy"): KernelMeanMetric {
  return new KernelMeanMetric("SparseCategoricalAccuracy", name, (b) =>
    kernels().countSparseMatches(b.rows, b.cols, b.predictions, b.targets, b.sampleWeights),
  );
}

/**
 * Keras's TopKCategoricalAccuracy (k = 5): is the true class among the k highest scores. One-hot targets are
 * first turned into labels by the argmax kernel, into a block that grows to the largest batch and is reused.
 */
export class TopKCategoricalAccuracy extends KernelMeanMetric {
  private labels = 0;
  private labelRows = 0;

  constructor(k = 5, name = "top_k_categorical_accuracy") {
    if (!Number.isInteger(k) || k < 1)
      throw new Error(`topKCategoricalAccuracy: k must be a positive integer, got ${String(k)}`);
    super(
      "TopKCategoricalAccuracy",
      name,
      (b) => kernels().countTopKMatches(b.rows, b.cols, b.predictions, this.labelsOf(b), k, b.sampleWeights),
      { k },
    );
  }

  private labelsOf(batch: BatchView): number {
    if (batch.sparseTargets) return batch.targets;
    if (batch.rows > this.labelRows) {
      this.dispose();
      this.labels = getEngine().alloc(batch.rows * 4);
      this.labelRows = batch.rows;
    }
    kernels().rowArgmax(batch.rows, batch.cols, batch.targets, this.labels);
    return this.labels;
  }

  override dispose(): void {
    if (this.labels) getEngine().free(this.labels);
    this.labels = 0;
    this.labelRows = 0;
  }
}

/**
 * Keras's SparseTopKCategoricalAccuracy (k = 5): TopKCategoricalAccuracy over integer class labels, under its
 * own class and default name (saved and read back as that class).
 */
export class SparseTopKCategoricalAccuracy extends TopKCategoricalAccuracy {
  override readonly className: string = "SparseTopKCategoricalAccuracy";

  constructor(k = 5, name = "sparse_top_k_categorical_accuracy") {
    super(k, name);
  }
}

export function meanAbsoluteError(name = "mean_absolute_error"): KernelMeanMetric {
  return new KernelMeanMetric("MeanAbsoluteError", name, (b) =>
    kernels().sumAbsoluteError(b.rows, b.cols, b.predictions, b.targets, b.sampleWeights),
  );
}

export function meanSquaredError(name = "mean_squared_error"): KernelMeanMetric {
  return new KernelMeanMetric("MeanSquaredError", name, (b) =>
    kernels().sumSquaredError(b.rows, b.cols, b.predictions, b.targets, b.sampleWeights),
  );
}

export function meanAbsolutePercentageError(name = "mean_absolute_percentage_error"): KernelMeanMetric {
  return new KernelMeanMetric("MeanAbsolutePercentageError", name, (b) =>
    kernels().sumAbsolutePercentageError(b.rows, b.cols, b.predictions, b.targets, b.sampleWeights),
  );
}
