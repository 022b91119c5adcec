import { Tensor } from "../tensor.js";
import { checkOptionKeys } from "../utils/options.js";
import { describeValue, formatShape } from "../utils/describe.js";
import { uniqueLayerName } from "./names.js";
import type { Variable } from "./variable.js";

/** Options every layer takes (Keras's base Layer kwargs, in camelCase). */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Shape of one sample, without the batch axis: `[8]` for 8 features. */
  inputShape?: readonly number[];
  /** Keras's batch_input_shape: `[null, 8]`. */
  batchInputShape?: readonly (number | null)[];
  batchSize?: number;
  dtype?: string;
}

/** Options every layer accepts (LayerArgs). */
export const LAYER_OPTIONS: readonly string[] = ["name", "trainable", "inputShape", "batchInputShape", "batchSize", "dtype"];

/** A layer's serialisable description, in tfjs's camelCase form (io converts to Keras's snake_case). */
export interface LayerConfig {
  name: string;
  trainable: boolean;
  dtype: "float32";
  batchInputShape?: (number | null)[];
  [key: string]: unknown;
}

/**
 * Counts every change of any layer's `trainable` flag. A model's training step compares it with the count it
 * last saw (one integer compare a step) and re-derives its lists of trainable weights when it moved, so that
 * freezing or unfreezing a layer after compile takes effect at the next step.
 */
let trainableChanges = 0;

/** How many times any layer's `trainable` flag has changed (see above). */
export function trainableChangeCount(): number {
  return trainableChanges;
}

/**
 * Keras's layer life cycle: constructor (validates and stores options) → build(inputShape) (creates weights,
 * once the input shape is known) → forward/backward (the model's training step) → getConfig/fromConfig.
 *
 * forward and backward work on wasm pointers of `rows` samples. A layer keeps what its backward needs
 * (its input pointer, pre-activations, masks) from the forward of the same step.
 */
export abstract class Layer {
  abstract readonly className: string;
  readonly name: string;
  /** [null, ...inputShape] when the user gave an input shape. */
  readonly batchInputShape: (number | null)[] | null;
  protected builtInputShape: number[] | null = null;
  protected builtOutputShape: number[] | null = null;
  protected variables: Variable[] = [];
  private trainableFlag = true;
  private disposedFlag = false;

  /**
   * `options`: the option names the subclass takes besides the base ones; with it, any other key is an error
   * that lists the valid names (a typo like `activaton` must not be silently ignored).
   */
  constructor(args: LayerArgs = {}, className?: string, options?: readonly string[]) {
    const fn = className ?? new.target.name;
    if (options) checkOptionKeys(fn, args, [...LAYER_OPTIONS, ...options]);
    if (args.name !== undefined && (typeof args.name !== "string" || args.name.length === 0)) {
      throw new Error(`${fn}: name must be a non-empty string, got ${describeValue(args.name)}`);
    }
    if (args.trainable !== undefined && typeof args.trainable !== "boolean") {
      throw new Error(`${fn}: trainable must be true or false, got ${describeValue(args.trainable)}`);
    }
    this.name = args.name ?? uniqueLayerName(fn);
    this.trainableFlag = args.trainable ?? true;
    this.batchInputShape = resolveBatchInputShape(args, className ?? new.target.name);
  }

  /** Whether the optimizer updates this layer's weights. Takes effect at the next training step, even after compile. */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    if (typeof value !== "boolean") throw new Error(`${this.name}: trainable must be true or false, got ${describeValue(value)}`);
    if (value === this.trainableFlag) return;
    this.trainableFlag = value;
    trainableChanges++;
  }

  /** True after dispose(): the layer holds no memory and cannot be built or added to a model again. */
  get disposed(): boolean {
    return this.disposedFlag;
  }

  get built(): boolean {
    return this.builtInputShape !== null;
  }

  /** Shape of one input sample (no batch axis), known after build. */
  get inputShape(): number[] {
    if (!this.builtInputShape) throw new Error(`${this.name}: the layer is not built yet`);
    return [...this.builtInputShape];
  }

  /** Shape of one output sample (no batch axis), known after build. */
  get outputShape(): number[] {
    if (!this.builtOutputShape) throw new Error(`${this.name}: the layer is not built yet`);
    return [...this.builtOutputShape];
  }

  /**
   * Creates the weights for inputs of this per-sample shape, once: building again for the same shape does
   * nothing, for another shape is an error (the weights' shapes follow the input). A build that throws part
   * way frees what it had created, so the layer is unbuilt as before and a retry leaks nothing.
   * NOTE: loaders pass `initialize: false` because they overwrite every weight next; that skips the random
   * draws (so inference-only builds need no random kernels) and leaves the weights' memory as it was.
   */
  build(inputShape: readonly number[], initialize = true): void {
    if (this.disposedFlag) throw new Error(`${this.name}: build: the layer was disposed; create a new layer`);
    if (this.builtInputShape) {
      const same = this.builtInputShape.length === inputShape.length && this.builtInputShape.every((dim, axis) => dim === inputShape[axis]);
      if (same) return;
      throw new Error(
        `${this.name}: build: the layer is already built for input shape ${formatShape(this.builtInputShape)}, ` +
          `got ${formatShape(inputShape)}; a built layer keeps the shapes of its weights, so use a new layer for another input shape`,
      );
    }
    const outputShape = this.computeOutputShape(inputShape);
    try {
      this.createWeights(inputShape, initialize);
    } catch (error) {
      this.freeMemory();
      throw error;
    }
    this.builtInputShape = [...inputShape];
    this.builtOutputShape = outputShape;
  }

  /**
   * Undoes a build: frees the weights and buffers and makes the layer unbuilt again. For a model whose
   * constructor failed part way, to hand back the layers it had built as they came.
   * NOTE: only for a layer that has run no forward since its build (layers may cache what a forward saw).
   * @internal
   */
  discardBuild(): void {
    this.freeMemory();
    this.builtInputShape = null;
    this.builtOutputShape = null;
  }

  /** Output shape for a per-sample input shape; throws when the input does not fit the layer. */
  abstract computeOutputShape(inputShape: readonly number[]): number[];

  protected createWeights(_inputShape: readonly number[], _initialize: boolean): void {}

  /** Runs the layer on `rows` samples at `input`; returns the pointer of its output. */
  abstract forward(input: number, rows: number, training: boolean): number;

  /**
   * Given the gradient of the loss with respect to this layer's output, writes its weights' gradients and
   * returns the gradient with respect to its input (0 when `needInputGrad` is false).
   */
  abstract backward(outputGrad: number, rows: number, needInputGrad: boolean): number;

  get weights(): Variable[] {
    return [...this.variables];
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.variables.filter((variable) => variable.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.variables.filter((variable) => !this.trainable || !variable.trainable);
  }

  countParams(): number {
    return this.variables.reduce((total, variable) => total + variable.size, 0);
  }

  /** JS copies of the weights, in Keras's order. */
  getWeights(): Tensor[] {
    return this.variables.map((variable) => variable.read());
  }

  /** Penalty this layer adds to the loss (weight regularizers); its gradient goes in addPenaltyGradients. */
  regularizationPenalty(): number {
    let total = 0;
    // NOTE: as Keras 3, only trainable weights are penalised; a frozen layer adds nothing.
    // Loops over `variables` rather than the trainableWeights getter: this runs every step, allocation-free.
    if (!this.trainable) return 0;
    for (const variable of this.variables) {
      if (variable.trainable && variable.regularizer) total += variable.regularizer.penalty(variable.ptr, variable.size);
    }
    return total;
  }

  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.trainable, dtype: "float32" };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    return config;
  }

  /**
   * Frees the layer's wasm memory (weights and buffers); the layer cannot be used afterwards. A model's
   * dispose() does this for its layers; call it yourself for a layer you took out of a model with pop().
   */
  dispose(): void {
    this.freeMemory();
    this.disposedFlag = true;
  }

  private freeMemory(): void {
    for (const variable of this.variables) variable.dispose();
    this.variables = [];
    this.releaseBuffers();
  }

  protected releaseBuffers(): void {}
}

/** The options object of a layer constructor's first argument; anything else is an error naming what came. */
export function checkArgsObject<T>(className: string, value: T, expected: string): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${className}: expected ${expected}, got ${describeValue(value)}`);
  }
  return value;
}

function resolveBatchInputShape(args: LayerArgs, className: string): (number | null)[] | null {
  if (args.batchInputShape !== undefined) {
    const shape = args.batchInputShape;
    if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every(isPositiveInteger)) {
      throw new Error(
        `${className}: batchInputShape must be [batch or null, ...positive integers], got ${JSON.stringify(shape)}`,
      );
    }
    return [...shape];
  }
  if (args.inputShape !== undefined) {
    const shape = args.inputShape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every(isPositiveInteger)) {
      throw new Error(`${className}: inputShape must be an array of positive integers, got ${JSON.stringify(shape)}`);
    }
    return [args.batchSize ?? null, ...shape];
  }
  return null;
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}
