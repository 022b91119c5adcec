import { checkInputShape } from "../data/checks.js";
import { type FloatData, toFloatData } from "../data/convert.js";
import { getEngine } from "../engine/engine.js";
import { Tensor } from "../tensor.js";
import { InputRows } from "./input-rows.js";
import { ModelBase } from "./model-base.js";
import type { ModelData } from "./model-data.js";
import { packInputs } from "./model-data.js";
import { inferencePredictPlan, type PredictOptions, type PredictPlan } from "./predict-plan.js";

export type { PredictHooks, PredictOptions, PredictPlan } from "./predict-plan.js";

/** What predictData needs of the model's shapes, for one graph. */
interface PredictShapes {
  graph: object;
  outputShapes: number[][];
  widths: number[];
  inputWidths: number[];
  /** The sample count resultShapes were made for (-1: none yet). */
  resultCount: number;
  resultShapes: (readonly number[])[];
}

/**
 * Copies `count` floats of wasm memory (from index `from`) into `target` at `offset`. NOTE: a loop for a few
 * values (a one-sample output): a subarray view costs more than copying them.
 */
function copyOut(memory: Float32Array, from: number, count: number, target: Float32Array, offset: number): void {
  if (count > 64) {
    target.set(memory.subarray(from, from + count), offset);
    return;
  }
  for (let i = 0; i < count; i++) target[offset + i] = memory[from + i];
}

/**
 * A layer stack that predicts: what `densa/infer`'s loadModel returns, and the base of the trainable
 * Sequential. NOTE: kept apart from model.ts so that an app that only loads and predicts bundles none of
 * compile / fit / evaluate (losses, metrics, optimizers, callbacks, data sets).
 */
export class InferenceModel extends ModelBase {
  private inferenceBuffers: InputRows | null = null;
  private predictShapes: PredictShapes | null = null;

  /**
   * Keras's predict: outputs for every sample, computed in batches (synchronous once init() resolved). x is an
   * array, a Tensor, or for several inputs an array with one per input or an object keyed by input name. A
   * model of several outputs returns an array of Tensors (`model.predict<Tensor[]>(x)` types it so).
   */
  predict<Result extends Tensor | Tensor[] = Tensor>(x: ModelData, options: PredictOptions = {}): Result {
    this.assertUsable("predict");
    const plan = this.predictPlan(options);
    return this.predictData(x, this.inputData(x, plan, "predict"), plan, "predict") as Result;
  }

  /** predict on one batch (Keras's predict_on_batch). */
  predictOnBatch<Result extends Tensor | Tensor[] = Tensor>(x: ModelData): Result {
    this.assertUsable("predictOnBatch");
    const plan: PredictPlan = { batchSize: 1, steps: undefined, hooks: null };
    const data = this.inputData(x, plan, "predictOnBatch");
    plan.batchSize = Math.max(1, data.shape[0]);
    return this.predictData(x, data, plan, "predictOnBatch") as Result;
  }

  /**
   * Converts x. NOTE: a built model without callbacks checks for NaN / ±Infinity in the kernels, batch by batch
   * after the copy into wasm memory (a SIMD scan instead of a JS loop: the batch-1 latency); everywhere else
   * the JS conversion checks first, so that nothing (building, a hook) happens before the error.
   */
  private inputData(x: unknown, plan: PredictPlan, fn: string): FloatData {
    const options = { finite: !(this.built && plan.hooks === null) };
    // NOTE: one Tensor for a one-input model is the whole of packInputs' work there (the per-call path of predict).
    if (x instanceof Tensor && !this.packedInputs) return toFloatData(x, fn, "x", options);
    const shapes = this.inputShapes.map((shape) => shape ?? []);
    return packInputs(x, this.inputNames, shapes, fn, "x", options);
  }

  /** Checks predict's options; the trainable model (the full package) overrides this to run callbacks. */
  protected predictPlan(options: unknown): PredictPlan {
    return inferencePredictPlan(options);
  }

  /** Builds the model from the first data it sees, as Keras does when no input shape was given. @internal */
  buildFromData(perSampleShape: readonly number[], fn: string): void {
    if (this.built) return;
    this.build(this.plannedInputShape(perSampleShape, fn));
  }

  /**
   * The input shape the model has, or would get from data of this per-sample shape — without building, so
   * that the data can be checked against it before any state changes. @internal
   */
  plannedInputShape(perSampleShape: readonly number[] | undefined, fn: string): number[] {
    if (this.stack.length === 0) throw new Error(`${fn}: the model has no layers`);
    const known = this.inputShape;
    if (known) return known;
    if (!perSampleShape) this.assertBuilt(fn);
    // NOTE: a flat x of n numbers is n samples of one feature, as Keras reads it.
    return perSampleShape!.length === 0 ? [1] : [...perSampleShape!];
  }

  /** The output shape for that input shape (each layer's computeOutputShape; nothing is built). @internal */
  plannedOutputShape(inputShape: readonly number[]): number[] {
    if (this.built) return this.outputShape;
    return this.stack.reduce<number[]>((shape, layer) => layer.computeOutputShape(shape), [...inputShape]);
  }

  /** Whether x comes packed (several inputs side by side, each already checked by packInputs). @internal */
  get packedInputs(): boolean {
    // NOTE: as inputNames.length > 1, without making the names (read several times a predict).
    return this.functional !== null && this.functional.inputs.length > 1;
  }

  private predictData(original: unknown, data: FloatData, plan: PredictPlan, fn: string): Tensor | Tensor[] {
    const packed = this.packedInputs;
    if (!packed) {
      // NOTE: one copy of the per-sample shape instead of a slice per use: a Tensor's shape is frozen, and V8
      // slices frozen arrays on its slow path (~250 ns each, a visible part of a one-sample predict).
      const perSample = [...data.shape];
      perSample.shift();
      data = checkInputShape(data, this.plannedInputShape(perSample, fn), fn, "x");
      this.buildFromData(perSample, fn);
    }
    const x = data;
    const { batchSize, hooks } = plan;
    const count = Math.min(x.shape[0], (plan.steps ?? Infinity) * batchSize);
    const graph = this.graph();
    const { widths, inputWidths } = this.shapesOf(graph);
    const features = x.data.length / x.shape[0];
    if (!this.inferenceBuffers) {
      this.inferenceBuffers = new InputRows(packed ? inputWidths : [features]);
      this.held.others.add(this.inferenceBuffers);
    }
    const results = widths.map((width) => new Float32Array(count * width));
    const engine = getEngine();
    hooks?.begin(Math.ceil(count / batchSize));
    for (let start = 0, batch = 0; start < count; start += batchSize, batch++) {
      const end = Math.min(count, start + batchSize);
      if (hooks) {
        hooks.batchBegin(batch);
        // NOTE: a hook may have disposed the model, or run predict itself: check, then load.
        this.assertUsable(fn);
      }
      const buffers = this.inferenceBuffers!;
      buffers.load(x.data, features, start, end);
      for (let k = 0; k < buffers.ptrs.length; k++) {
        const width = packed ? inputWidths[k] : features;
        if (engine.kernels.firstNonFinite(buffers.ptrs[k], (end - start) * width) >= 0) {
          packInputs(
            original,
            this.inputNames,
            this.inputShapes.map((shape) => shape ?? []),
            fn,
            "x",
          ); // NOTE: the JS check names the first bad value and throws here…
          throw new Error(`${fn}: x has a value that is not finite as float32; expected finite numbers`); // …or this.
        }
      }
      graph.run(buffers.ptrs, end - start, false);
      const memory = engine.f32;
      for (let k = 0; k < widths.length; k++)
        copyOut(memory, graph.output(k) >>> 2, (end - start) * widths[k], results[k], start * widths[k]);
      hooks?.batchEnd(batch);
    }
    hooks?.end();
    const tensorShapes = this.resultShapes(count);
    const tensors = results.map((result, k) => new Tensor(result, tensorShapes[k]));
    return tensors.length === 1 ? tensors[0] : tensors;
  }

  /**
   * Per-sample output shapes, their sizes and the inputs' sizes: fixed for one graph (a change of structure
   * makes a new graph), so worked out once rather than on every predict.
   */
  private shapesOf(graph: object): PredictShapes {
    if (this.predictShapes?.graph !== graph) {
      const size = (shape: readonly number[]) => shape.reduce((product, dim) => product * dim, 1);
      const outputShapes = this.outputShapes;
      this.predictShapes = {
        graph,
        outputShapes,
        widths: outputShapes.map(size),
        inputWidths: this.inputShapes.map((shape) => size(shape!)),
        resultCount: -1,
        resultShapes: [],
      };
    }
    return this.predictShapes;
  }

  /** The results' shapes [count, ...output shape], frozen, kept for the next predict of as many samples. */
  private resultShapes(count: number): (readonly number[])[] {
    const shapes = this.predictShapes!;
    if (shapes.resultCount !== count) {
      shapes.resultShapes = shapes.outputShapes.map((shape) => Object.freeze([count, ...shape]));
      shapes.resultCount = count;
    }
    return shapes.resultShapes;
  }

  private dropInferenceBuffers(): void {
    if (!this.inferenceBuffers) return;
    this.inferenceBuffers.dispose();
    this.held.others.delete(this.inferenceBuffers);
    this.inferenceBuffers = null;
  }

  protected override onStructureChange(): void {
    this.dropInferenceBuffers();
    super.onStructureChange();
  }

  protected override releaseMemory(): void {
    this.dropInferenceBuffers();
    super.releaseMemory();
  }
}
