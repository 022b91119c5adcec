import { checkInputShape } from "../data/checks.js";
import { toFloatData, type FloatData } from "../data/convert.js";
import { getEngine } from "../engine/engine.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { checkNumber, checkOptionKeys } from "../utils/options.js";
import { BatchBuffers, type SampleSet } from "./batch-buffers.js";
import { runLayers } from "./forward.js";
import { SequentialBase } from "./sequential.js";

export interface PredictOptions {
  batchSize?: number;
  verbose?: 0 | 1 | 2 | "auto";
}

/**
 * A layer stack that predicts: what `densa/infer`'s loadModel returns, and the base of the trainable
 * Sequential. NOTE: kept apart from model.ts so that an app that only loads and predicts bundles none of
 * compile / fit / evaluate (losses, metrics, optimizers, callbacks, data sets).
 */
export class InferenceModel extends SequentialBase {
  private inferenceBuffers: BatchBuffers | null = null;

  /** Keras's predict: outputs for every sample, computed in batches (synchronous once init() resolved). */
  predict(x: TensorLike, options: PredictOptions = {}): Tensor {
    this.assertUsable("predict");
    const batchSize = this.predictBatchSize(options);
    return this.predictData(toFloatData(x, "predict", "x"), batchSize, "predict");
  }

  /** predict on one batch (Keras's predict_on_batch). */
  predictOnBatch(x: TensorLike): Tensor {
    this.assertUsable("predictOnBatch");
    const data = toFloatData(x, "predictOnBatch", "x");
    return this.predictData(data, Math.max(1, data.shape[0]), "predictOnBatch");
  }

  /** Checks predict's options; the trainable model checks the full Keras set (callbacks, steps). */
  protected predictBatchSize(options: unknown): number {
    checkOptionKeys("predict", options, ["batchSize", "verbose", "steps", "callbacks"]);
    const batchSize = (options as PredictOptions | undefined)?.batchSize ?? 32;
    return checkNumber("predict", "batchSize", batchSize, { integer: true, min: 0, minExclusive: true });
  }

  /** Builds the model from the first data it sees, as Keras does when no input shape was given. */
  protected buildFromData(perSampleShape: readonly number[], fn: string): void {
    if (this.built) return;
    this.build(this.plannedInputShape(perSampleShape, fn));
  }

  /**
   * The input shape the model has, or would get from data of this per-sample shape — without building, so
   * that the data can be checked against it before any state changes.
   */
  protected plannedInputShape(perSampleShape: readonly number[] | undefined, fn: string): number[] {
    if (this.stack.length === 0) throw new Error(`${fn}: the model has no layers`);
    const known = this.inputShape;
    if (known) return known;
    if (!perSampleShape) this.assertBuilt(fn);
    // NOTE: a flat x of n numbers is n samples of one feature, as Keras reads it.
    return perSampleShape!.length === 0 ? [1] : [...perSampleShape!];
  }

  /** The output shape for that input shape (each layer's computeOutputShape; nothing is built). */
  protected plannedOutputShape(inputShape: readonly number[]): number[] {
    if (this.built) return this.outputShape;
    return this.stack.reduce<number[]>((shape, layer) => layer.computeOutputShape(shape), [...inputShape]);
  }

  private predictData(data: FloatData, batchSize: number, fn: string): Tensor {
    const x = checkInputShape(data, this.plannedInputShape(data.shape.slice(1), fn), fn, "x");
    this.buildFromData(data.shape.slice(1), fn);
    const count = x.shape[0];
    const outputShape = this.outputShape;
    const width = outputShape.reduce((product, dim) => product * dim, 1);
    const features = x.data.length / count;
    if (!this.inferenceBuffers) {
      this.inferenceBuffers = new BatchBuffers(features, 0);
      this.held.others.add(this.inferenceBuffers);
    }
    const set: SampleSet = { count, x: x.data, features, y: null, targetWidth: 0, weights: null };
    const result = new Float32Array(count * width);
    const engine = getEngine();
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      this.inferenceBuffers.load(set, null, start, end);
      const output = runLayers(this.stack, this.inferenceBuffers.inputPtr, end - start, false);
      result.set(engine.view(output, (end - start) * width), start * width);
    }
    return new Tensor(result, [count, ...outputShape]);
  }

  private dropInferenceBuffers(): void {
    if (!this.inferenceBuffers) return;
    this.inferenceBuffers.dispose();
    this.held.others.delete(this.inferenceBuffers);
    this.inferenceBuffers = null;
  }

  protected override onStructureChange(): void {
    this.dropInferenceBuffers();
  }

  protected override releaseMemory(): void {
    this.dropInferenceBuffers();
    super.releaseMemory();
  }
}
