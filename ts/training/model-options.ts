// The option objects of Sequential's training methods (compile, evaluate, trainOnBatch, testOnBatch), as the
// public API documents them; fit's are in ts/training/fit-options.ts.
import type { Callback } from "../callbacks/callback.js";
import type { LossIdentifier } from "../losses/loss.js";
import type { MetricIdentifier } from "../metrics/index.js";
import type { OptimizerIdentifier } from "../optimizers/index.js";
import type { TensorLike } from "../tensor.js";

export interface CompileArgs {
  optimizer?: OptimizerIdentifier;
  /** One loss; with several outputs also an array (one per output) or an object keyed by output name. */
  loss: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>;
  /** Metrics; with several outputs an array with one entry (a metric or an array) per output, or an object keyed by output name. */
  metrics?: MetricIdentifier[] | (MetricIdentifier | MetricIdentifier[])[] | Record<string, MetricIdentifier | MetricIdentifier[]>;
  /** Keras's loss_weights: the total loss is Σ weight × output loss. An array or an object keyed by output name. */
  lossWeights?: number[] | Record<string, number>;
}

export interface EvaluateOptions {
  /** Samples per batch (arrays only; a data set's batches are used as they come). */
  batchSize?: number;
  /** One weight per sample (arrays only; a data set carries them in its batches). */
  sampleWeight?: TensorLike;
  /** 0 silent, 1 progress bar (the default, "auto"), 2 one line. */
  verbose?: 0 | 1 | 2 | "auto";
  /** Evaluate only this many batches; with a data set, needed when it is endless. */
  steps?: number;
  /** Their onTest* hooks run (Keras's evaluate(callbacks=…)). */
  callbacks?: Callback[];
}

export interface TrainOnBatchOptions {
  sampleWeight?: TensorLike;
  classWeight?: Record<number, number> | Map<number, number>;
}

export interface TestOnBatchOptions {
  sampleWeight?: TensorLike;
}
