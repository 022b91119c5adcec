import { getEngine } from "../engine/engine.js";
import type { RandomGenerator } from "../engine/random.js";
import type { Layer } from "../layers/layer.js";
import { RowBuffer } from "../layers/row-buffer.js";
import type { FusedLossPath } from "../layers/step-context.js";
import type { Variable } from "../layers/variable.js";
import type { Loss } from "../losses/loss.js";
import type { BatchView, Metric } from "../metrics/metric.js";
import { BatchBuffers } from "../models/batch-buffers.js";
import type { Graph } from "../models/graph.js";
import type { Optimizer } from "../optimizers/optimizer.js";
import { warnOnce } from "../utils/describe.js";
import { MemoryPlan } from "./memory-plan.js";

/** What compile says about one output of the model. */
export interface OutputTraining {
  /** The output's name (its layer's), which prefixes its log keys when the model has several outputs. */
  name: string;
  shape: readonly number[];
  loss: Loss;
  /** Keras's loss_weights entry (1 by default). */
  lossWeight: number;
  metrics: readonly Metric[];
  /** The layer that computes the output (null when the output is a model input). */
  layer: Layer | null;
  /** Whether the output layer can end in the fused softmax + cross-entropy kernel (see Layer.fusedLossPaths). */
  fusable: boolean;
}

const SOFTMAX_CROSS_ENTROPY: FusedLossPath = "softmax_cross_entropy";

/** Per output: the loss's view of the output, its gradient block, its metrics. */
interface OutputState extends OutputTraining {
  readonly width: number;
  readonly lastAxis: number;
  /**
   * The loss and the metrics see an output of shape [..., last] as `positions` rows of `last` values per
   * sample, as Keras computes row-wise losses along the last axis and then averages over every position of
   * every sample (keras/src/losses/loss.py, reduce_values). 1 for the usual [units] output.
   */
  readonly positions: number;
  readonly fused: boolean;
  readonly gradient: RowBuffer;
  readonly view: BatchView;
}

/**
 * What compile() sets up, and the training step it runs:
 *
 *   gather batch → graph forward (one fused call per layer) → each output's loss + its gradient (× its loss
 *   weight) → graph backward (reverse order, gradients summed where a tensor feeds several layers, nothing
 *   below the trainable part) → regularizer gradients → optimizer (clip, decay, update, constraints) →
 *   metrics on the same outputs.
 */
export class Trainer {
  readonly buffers: BatchBuffers;
  readonly outputs: readonly OutputState[];
  /** Every compiled metric, output by output. */
  readonly metrics: readonly Metric[];
  /** The log key of each metric (`accuracy`, or `churn_accuracy` with several outputs). */
  readonly metricKeys: readonly string[];
  /** Where the weights, their gradients and the optimizer's slots live (ts/training/memory-plan.ts). */
  readonly memoryPlan: MemoryPlan;
  private trainableVariables: Variable[] = [];
  private regularizedVariables: Variable[] = [];
  private readonly outputGrads: number[];
  /** Per-output unweighted losses summed over the samples since resetMetrics (Keras's `a_loss` trackers). */
  private readonly outputLossSums: Float64Array;
  private samplesSeen = 0;
  /** The fused loss paths this compile chose, on the model's own step context (see the constructor). */
  private readonly fusedLoss = new Map<object, FusedLossPath>();
  private readonly gradients: readonly RowBuffer[];

  constructor(
    private readonly graph: Graph,
    outputs: readonly OutputTraining[],
    readonly optimizer: Optimizer,
    inputWidths: readonly number[],
  ) {
    this.outputs = outputs.map((output) => {
      const width = output.shape.reduce((product, dim) => product * dim, 1);
      const lastAxis = output.shape[output.shape.length - 1];
      const positions = width / lastAxis;
      const crossEntropy =
        output.loss.lossName === "categorical_crossentropy" ||
        output.loss.lossName === "sparse_categorical_crossentropy";
      const fused = output.fusable && crossEntropy && !output.loss.fromLogits;
      const view: BatchView = {
        rows: 0,
        cols: lastAxis,
        predictions: 0,
        targets: 0,
        sparseTargets: output.loss.sparseLabels,
        sampleWeights: 0,
      };
      const gradient = new RowBuffer(width, { training: true });
      return { ...output, width, lastAxis, positions, fused, gradient, view };
    });
    // NOTE: the fused paths ride on the model's own step context, set once here: a model nested in another
    // runs in the outer context, which names none of its layers.
    for (const output of this.outputs)
      if (output.fused && output.layer) this.fusedLoss.set(output.layer, SOFTMAX_CROSS_ENTROPY);
    graph.step.fusedLoss = this.fusedLoss;
    // The loss gradients are activation buffers too: the model's plan places them with the training buffers.
    this.gradients = this.outputs.map((output) => output.gradient);
    graph.plan.setExtras(this.gradients);
    this.buffers = new BatchBuffers(
      inputWidths,
      this.outputs.map((output) => (output.loss.sparseLabels ? output.positions : output.width)),
      this.outputs.map((output) => output.positions),
    );
    this.metrics = this.outputs.flatMap((output) => output.metrics);
    const prefix = this.outputs.length > 1;
    this.metricKeys = this.outputs.flatMap((output) =>
      output.metrics.map((metric) => (prefix ? `${output.name}_${metric.name}` : metric.name)),
    );
    this.outputGrads = this.outputs.map(() => 0);
    this.outputLossSums = new Float64Array(this.outputs.length);
    // The memory plan: the model's weights, gradients and optimizer slots as blocks of one layout.
    this.memoryPlan = new MemoryPlan(graph.layers.flatMap((layer) => layer.weights));
    this.deriveTrainable();
  }

  /** The step context of this trainer's steps: fit sets the generator of its seed, and clears it after. */
  set generator(generator: RandomGenerator | null) {
    this.graph.step.generator = generator;
  }

  /**
   * Which weights the step trains. Re-derived when some layer's `trainable` changed (Keras reads
   * trainable_variables every step), so a layer frozen after compile gets no further updates and one thawed
   * starts training.
   */
  private deriveTrainable(): void {
    this.trainableVariables = this.graph.layers.flatMap((layer) => layer.trainableWeights);
    this.regularizedVariables = this.trainableVariables.filter((variable) => variable.regularizer);
  }

  /** Runs the graph on the batch in the buffers; returns the first output's pointer. */
  forward(rows: number, training: boolean): number {
    return this.graph.run(this.buffers.inputPtrs, rows, training);
  }

  /** One optimizer step on the batch already in the buffers; returns the loss (with regularization). */
  trainBatch(rows: number): number {
    if (this.graph.refreshTrainable()) this.deriveTrainable();
    this.forward(rows, true);
    const loss = this.losses(rows);
    if (!this.graph.hasTrainable) {
      // Nothing to train: no gradients, and no optimizer step (Keras warns and skips the update too).
      warnOnce(
        "The model does not have any trainable weights: training steps compute the loss and metrics but update nothing.",
      );
      this.updateMetrics(rows);
      return loss;
    }
    const kernels = getEngine().kernels;
    for (let k = 0; k < this.outputs.length; k++) {
      const output = this.outputs[k];
      const lossRows = rows * output.positions;
      const predictions = this.graph.output(k);
      const targets = this.buffers.targetPtrs[k];
      const weights = this.buffers.weightPtrs[k];
      const gradient = output.gradient.ensure(rows);
      const scale = output.lossWeight / lossRows;
      if (output.fused) {
        kernels.softmaxCrossEntropyBackward(
          lossRows,
          output.lastAxis,
          predictions,
          targets,
          output.loss.sparseLabels ? 1 : 0,
          weights,
          gradient,
          output.loss.labelSmoothing,
          scale,
        );
      } else {
        output.loss.backward(lossRows, output.lastAxis, predictions, targets, weights, gradient, scale);
      }
      this.outputGrads[k] = gradient;
    }
    this.graph.backward(this.outputGrads);
    for (const variable of this.regularizedVariables)
      variable.regularizer!.addGradient(variable.ptr, variable.grad, variable.size);
    this.optimizer.applyGradients(this.trainableVariables);
    this.updateMetrics(rows);
    return loss;
  }

  /** Loss and metrics of the batch in the buffers, without training. */
  testBatch(rows: number): number {
    this.forward(rows, false);
    const loss = this.losses(rows);
    this.updateMetrics(rows);
    return loss;
  }

  /** Σ loss weight × output loss, plus weight and activity penalties (Keras 3 adds both to the loss). */
  private losses(rows: number): number {
    let total = 0;
    for (let k = 0; k < this.outputs.length; k++) {
      const output = this.outputs[k];
      const value = output.loss.forward(
        rows * output.positions,
        output.lastAxis,
        this.graph.output(k),
        this.buffers.targetPtrs[k],
        this.buffers.weightPtrs[k],
      );
      this.outputLossSums[k] += value * rows;
      total += output.lossWeight * value;
    }
    this.samplesSeen += rows;
    const step = this.graph.step;
    for (const layer of this.graph.layers) total += layer.regularizationPenalty() + layer.activityPenalty(step);
    return total;
  }

  /**
   * NOTE: compile's `metrics` are unweighted in Keras 3 — CompileMetrics.update_state passes sample weights
   * (sampleWeight × classWeight) only to `weighted_metrics` — so they see every sample with weight 1; only the
   * loss is weighted.
   */
  private updateMetrics(rows: number): void {
    for (let k = 0; k < this.outputs.length; k++) {
      const output = this.outputs[k];
      if (output.metrics.length === 0) continue;
      const view = output.view;
      view.rows = rows * output.positions;
      view.predictions = this.graph.output(k);
      view.targets = this.buffers.targetPtrs[k];
      view.sampleWeights = 0;
      for (const metric of output.metrics) metric.update(view);
    }
  }

  /**
   * { loss, …per-output losses, …metrics } as Keras 3 names them: with several outputs each output's loss is
   * `${name}_loss` (unweighted, a running mean over the samples since resetMetrics) and its metrics are
   * `${name}_${metric}`.
   */
  logs(loss: number, target: Record<string, number> = {}): Record<string, number> {
    target.loss = loss;
    if (this.outputs.length > 1) {
      for (let k = 0; k < this.outputs.length; k++)
        target[`${this.outputs[k].name}_loss`] = this.outputLossSums[k] / Math.max(1, this.samplesSeen);
    }
    for (let i = 0; i < this.metrics.length; i++) target[this.metricKeys[i]] = this.metrics[i].result();
    return target;
  }

  resetMetrics(): void {
    for (const metric of this.metrics) metric.reset();
    this.outputLossSums.fill(0);
    this.samplesSeen = 0;
  }

  dispose(): void {
    // NOTE: only what this trainer set: a later compile's trainer may have set its own since.
    if (this.graph.step.fusedLoss === this.fusedLoss) this.graph.step.fusedLoss = undefined;
    this.graph.plan.removeExtras(this.gradients);
    for (const metric of this.metrics) metric.dispose();
    this.buffers.dispose();
    for (const output of this.outputs) output.gradient.dispose();
  }
}
