import { getEngine } from "../engine/engine.js";
import { Activation } from "../layers/activation.js";
import { Dense } from "../layers/dense.js";
import { trainableChangeCount, type Layer } from "../layers/layer.js";
import { RowBuffer } from "../layers/row-buffer.js";
import type { Variable } from "../layers/variable.js";
import type { Loss } from "../losses/loss.js";
import type { BatchView, Metric } from "../metrics/metric.js";
import type { Optimizer } from "../optimizers/optimizer.js";
import { warnOnce } from "../utils/describe.js";
import { BatchBuffers } from "./batch-buffers.js";
import { runLayers } from "./forward.js";

/**
 * What compile() sets up, and the training step it runs:
 *
 *   gather batch → forward (one fused call per layer) → loss + its gradient → backward (layers in reverse,
 *   no input gradient below the first trainable layer) → regularizer gradients → optimizer (clip, decay,
 *   update, constraints) → metrics on the same outputs.
 */
export class Trainer {
  readonly buffers: BatchBuffers;
  private readonly lossGradient: RowBuffer;
  private trainableVariables: Variable[] = [];
  private regularizedVariables: Variable[] = [];
  /** Layers below this index need no input gradient (nothing trainable under them); -1 when all are frozen. */
  private firstTrainableLayer = -1;
  /** trainableChangeCount() when the lists above were derived. */
  private trainableVersion = -1;
  /** Softmax output + (sparse) categorical cross-entropy: the loss gives the gradient w.r.t. the logits. */
  private readonly fusedSoftmax: boolean;
  private readonly view: BatchView;
  /** Values per sample in the output. */
  readonly outputWidth: number;
  /**
   * The loss and the metrics see an output of shape [..., last] as `positions` rows of `last` values per sample,
   * as Keras computes row-wise losses (cross-entropy, cosine, KL, categorical hinge …) along the last axis and
   * then, under sum_over_batch_size, averages over every position of every sample (keras/src/losses/loss.py,
   * reduce_values: sum / size of the per-position losses). 1 for the usual [units] output.
   */
  private readonly positions: number;
  private readonly lastAxis: number;

  constructor(
    private readonly layers: readonly Layer[],
    readonly loss: Loss,
    readonly optimizer: Optimizer,
    readonly metrics: readonly Metric[],
    features: number,
    outputShape: readonly number[],
  ) {
    this.outputWidth = outputShape.reduce((product, dim) => product * dim, 1);
    this.lastAxis = outputShape[outputShape.length - 1];
    this.positions = this.outputWidth / this.lastAxis;
    const outputWidth = this.outputWidth;
    this.buffers = new BatchBuffers(features, loss.sparseLabels ? this.positions : outputWidth, this.positions);
    this.lossGradient = new RowBuffer(outputWidth);
    this.deriveTrainable();
    const last = layers[layers.length - 1];
    const softmaxOutput = (last instanceof Dense || last instanceof Activation) && last.activation === "softmax";
    const crossEntropy = loss.lossName === "categorical_crossentropy" || loss.lossName === "sparse_categorical_crossentropy";
    // NOTE: an activity penalty on the softmax outputs has its gradient with respect to the outputs, which the
    // fused path (a gradient with respect to the logits) cannot take; such a model runs softmax's own backward.
    const activityPenalty = last instanceof Dense && last.activityRegularizer !== null;
    this.fusedSoftmax = softmaxOutput && crossEntropy && !loss.fromLogits && !activityPenalty;
    for (const layer of layers) {
      if (layer instanceof Dense || layer instanceof Activation) layer.lossGivesPreActivationGradient = false;
    }
    if (this.fusedSoftmax) (last as Dense | Activation).lossGivesPreActivationGradient = true;
    this.view = { rows: 0, cols: this.lastAxis, predictions: 0, targets: 0, sparseTargets: loss.sparseLabels, sampleWeights: 0 };
  }

  /**
   * Which weights the step trains. Re-derived when some layer's `trainable` changed since (Keras reads
   * trainable_variables every step), so a layer frozen after compile gets no further updates and one thawed
   * starts training.
   */
  private deriveTrainable(): void {
    this.trainableVersion = trainableChangeCount();
    this.trainableVariables = this.layers.flatMap((layer) => layer.trainableWeights);
    this.regularizedVariables = this.trainableVariables.filter((variable) => variable.regularizer);
    this.firstTrainableLayer = this.layers.findIndex((layer) => layer.trainableWeights.length > 0);
  }

  /** Runs every layer on the `rows` samples at `input`; returns the output pointer. */
  forward(input: number, rows: number, training: boolean): number {
    return runLayers(this.layers, input, rows, training);
  }

  /** One optimizer step on the batch already in the buffers; returns the loss (with regularization). */
  trainBatch(rows: number, weightPtr: number): number {
    if (this.trainableVersion !== trainableChangeCount()) this.deriveTrainable();
    const kernels = getEngine().kernels;
    const output = this.forward(this.buffers.inputPtr, rows, true);
    const targets = this.buffers.targetPtr;
    const lossRows = rows * this.positions;
    const cols = this.lastAxis;
    const loss = this.loss.forward(lossRows, cols, output, targets, weightPtr) + this.penalties(rows);
    if (this.firstTrainableLayer < 0) {
      // Nothing to train: no gradients, and no optimizer step (Keras warns and skips the update too).
      warnOnce("The model does not have any trainable weights: training steps compute the loss and metrics but update nothing.");
      this.updateMetrics(output, rows);
      return loss;
    }
    const gradient = this.lossGradient.ensure(rows);
    if (this.fusedSoftmax) {
      kernels.softmaxCrossEntropyBackward(
        lossRows, cols, output, targets, this.loss.sparseLabels ? 1 : 0, weightPtr, gradient, this.loss.labelSmoothing, 1 / lossRows,
      );
    } else {
      this.loss.backward(lossRows, cols, output, targets, weightPtr, gradient, 1 / lossRows);
    }
    let upstream = gradient;
    for (let i = this.layers.length - 1; i >= 0 && i >= this.firstTrainableLayer; i--) {
      upstream = this.layers[i].backward(upstream, rows, i > this.firstTrainableLayer);
    }
    for (const variable of this.regularizedVariables) variable.regularizer!.addGradient(variable.ptr, variable.grad, variable.size);
    this.optimizer.applyGradients(this.trainableVariables);
    this.updateMetrics(output, rows);
    return loss;
  }

  /** Loss and metrics of the batch in the buffers, without training. */
  testBatch(rows: number, weightPtr: number): number {
    const output = this.forward(this.buffers.inputPtr, rows, false);
    const loss = this.loss.forward(rows * this.positions, this.lastAxis, output, this.buffers.targetPtr, weightPtr) + this.penalties(rows);
    this.updateMetrics(output, rows);
    return loss;
  }

  /** Keras 3 adds weight penalties and activity penalties (of this batch's outputs) to the loss. */
  private penalties(rows: number): number {
    let total = 0;
    for (const layer of this.layers) {
      total += layer.regularizationPenalty();
      if (layer instanceof Dense) total += layer.activityPenalty(rows);
    }
    return total;
  }

  /**
   * NOTE: compile's `metrics` are unweighted in Keras 3 — CompileMetrics.update_state passes sample weights
   * (sampleWeight × classWeight) only to `weighted_metrics` — so they see every sample with weight 1; only the
   * loss is weighted.
   */
  private updateMetrics(output: number, rows: number): void {
    if (this.metrics.length === 0) return;
    const view = this.view;
    view.rows = rows * this.positions;
    view.predictions = output;
    view.targets = this.buffers.targetPtr;
    view.sampleWeights = 0;
    for (const metric of this.metrics) metric.update(view);
  }

  resetMetrics(): void {
    for (const metric of this.metrics) metric.reset();
  }

  dispose(): void {
    for (const metric of this.metrics) metric.dispose();
    this.buffers.dispose();
    this.lossGradient.dispose();
  }
}
