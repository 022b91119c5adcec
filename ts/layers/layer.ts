import { functionalSupport } from "../models/functional-support.js";
import type { Tensor } from "../tensor.js";
import { describeValue, formatShape } from "../utils/describe.js";
import { checkOptionKeys } from "../utils/options.js";
import { LAYER_OPTIONS, type LayerArgs, type LayerConfig, resolveBatchInputShape } from "./layer-args.js";
import { uniqueLayerName } from "./names.js";
import { type BufferUse, invalidateLayouts, RowBuffer } from "./row-buffer.js";
import type { FusedLossPath, StepContext } from "./step-context.js";
import type { SymbolicTensor } from "./symbolic-tensor.js";
import type { Variable } from "./variable.js";

/**
 * Keras's layer life cycle: constructor (validates and stores options) → build(inputShape) (creates weights,
 * once the input shape is known) → forward/backward (the model's training step) → getConfig/fromConfig.
 *
 * forward and backward work on wasm pointers of `step.rows` samples. A layer keeps what its backward needs
 * (its input pointer, pre-activations, masks) from the forward of the same step.
 *
 * In a Functional model a layer is applied to symbolic tensors (`apply`), which records a node of the graph;
 * a layer applied twice has two nodes and one set of weights. Layers of several inputs (merges) override
 * forwardNode / backwardNode, which the graph calls; one-input layers implement forward / backward.
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
  /** The nodes this layer made by apply(): one per call, in call order. @internal */
  readonly inboundNodes: SymbolicTensor[] = [];
  /** The activation buffers this layer declared (declareBuffer), laid out by its model's plan. @internal */
  readonly rowBuffers: RowBuffer[] = [];

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
    if (typeof value !== "boolean")
      throw new Error(`${this.name}: trainable must be true or false, got ${describeValue(value)}`);
    this.trainableFlag = value;
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
      const same =
        this.builtInputShape.length === inputShape.length &&
        this.builtInputShape.every((dim, axis) => dim === inputShape[axis]);
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

  /**
   * Declares a `rows × width` buffer the layer uses in forward or backward (outputs, masks, gradients…), with
   * what its lifetime allows (see BufferUse): the model's activation plan gives it its place in one block per
   * batch size. Declared in build; forward and backward take its pointer with `ensure(step.rows)`.
   */
  protected declareBuffer(width: number, use: BufferUse = {}): RowBuffer {
    const buffer = new RowBuffer(width, use);
    this.rowBuffers.push(buffer);
    invalidateLayouts();
    return buffer;
  }

  /** Runs the layer on `step.rows` samples at `input`; returns the pointer of its output. */
  abstract forward(input: number, step: StepContext): number;

  /**
   * Given the gradient of the loss with respect to this layer's output, writes its weights' gradients and
   * returns the gradient with respect to its input (0 when `needInputGrad` is false).
   */
  abstract backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number;

  /**
   * True when a training forward draws random numbers or updates statistics (Dropout, noise layers,
   * BatchNormalization): running it twice is not the same call, so such a layer cannot be shared in a graph.
   */
  get statefulTraining(): boolean {
    return false;
  }

  /** How many input tensors apply() takes: 1, or at least 2 for merge layers (-1: any number ≥ 2). */
  get inputCount(): number {
    return 1;
  }

  /** The graph's forward call: one input pointer per input tensor; returns the output pointer. */
  forwardNode(inputs: readonly number[], step: StepContext): number {
    return this.forward(inputs[0], step);
  }

  /**
   * The graph's backward call: writes into `inputGrads` the gradient pointer of each input (0 where
   * `needInputGrad` is false), so that the graph allocates nothing per step.
   */
  backwardNode(outputGrad: number, step: StepContext, needInputGrad: boolean, inputGrads: number[]): void {
    inputGrads[0] = this.backward(outputGrad, step, needInputGrad);
  }

  /**
   * Builds for the shapes of the input tensors (one shape, or one per input of a merge layer); the graph's
   * build. A layer already built for other shapes is an error naming both.
   */
  buildFor(inputShapes: readonly (readonly number[])[], fn: string, initialize = true): void {
    if (inputShapes.length !== 1) {
      throw new Error(
        `${fn}: layer "${this.name}" (${this.className}) takes one input tensor, got ${inputShapes.length}`,
      );
    }
    this.build(inputShapes[0], initialize);
  }

  /** The output shape for these input shapes, without building. */
  outputShapeFor(inputShapes: readonly (readonly number[])[]): number[] {
    return this.computeOutputShape(inputShapes[0]);
  }

  /**
   * Applies the layer to symbolic tensors (keras.Input and other layers' outputs): builds it for their shapes
   * (once; another shape later is an error naming both) and returns its output tensor. Calling it again on other
   * tensors shares the weights (a second node of the same layer). NOTE: through the Functional API's code
   * (layer-apply.ts), which "densa" loads with its models and densa/infer only with a Functional model's file.
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options: { initialize?: boolean } = {}): SymbolicTensor {
    return functionalSupport(`${this.name}.apply`).applyLayer(this, inputs, options);
  }

  /**
   * The fused loss paths this layer can end (Keras fuses nothing; densa gives softmax + cross-entropy one
   * kernel). The compiled training asks the output layer and, if it takes a path, puts the layer in its step
   * context's `fusedLoss`: backward then receives the gradient with respect to the pre-activation.
   */
  fusedLossPaths(): readonly FusedLossPath[] {
    return [];
  }

  /** Keras 3 adds an activity penalty of this batch's outputs to the loss (0 for layers without one). */
  activityPenalty(_step: StepContext): number {
    return 0;
  }

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
      if (variable.trainable && variable.regularizer)
        total += variable.regularizer.penalty(variable.ptr, variable.size);
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
    for (const buffer of this.rowBuffers) buffer.dispose();
    this.rowBuffers.length = 0;
    invalidateLayouts();
  }

  /** Frees what the layer holds besides its weights and declared buffers (a generator, per-channel blocks). */
  protected releaseBuffers(): void {}
}
