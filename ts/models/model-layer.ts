import { InputLayer } from "../layers/input-layer.js";
import { Layer } from "../layers/layer.js";
import type { LayerArgs } from "../layers/layer-args.js";
import type { FusedLossPath, StepContext } from "../layers/step-context.js";
import { SymbolicTensor } from "../layers/symbolic-tensor.js";
import type { Variable } from "../layers/variable.js";
import { describeValue, formatShape } from "../utils/describe.js";
import type { Graph } from "./graph.js";

/**
 * What a model takes from Layer as it is. NOTE: the members a model defines in its own way (nullable shapes,
 * its own config, build, weights and dispose) are left out of this type, so that ModelBase keeps its public API
 * unchanged while being a Layer at run time (the graph, `instanceof Layer` and the loaders see a layer).
 */
interface LayerMembers {
  readonly batchInputShape: (number | null)[] | null;
  readonly inboundNodes: SymbolicTensor[];
  readonly name: string;
  discardBuild(): void;
  computeOutputShape(inputShape: readonly number[]): number[];
  forward(input: number, step: StepContext): number;
  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number;
  forwardNode(inputs: readonly number[], step: StepContext): number;
  backwardNode(outputGrad: number, step: StepContext, needInputGrad: boolean, inputGrads: number[]): void;
  buildFor(inputShapes: readonly (readonly number[])[], fn: string, initialize?: boolean): void;
  outputShapeFor(inputShapes: readonly (readonly number[])[]): number[];
  fusedLossPaths(): readonly FusedLossPath[];
  activityPenalty(step: StepContext): number;
  regularizationPenalty(): number;
}

/**
 * What the graph calls on a layer whose call has several outputs (a model of several outputs used as a layer):
 * the pointer of output `k` after forwardNode, and backward from the gradients of every output.
 */
export interface MultiOutputLayer {
  nodeOutput(k: number): number;
  backwardOutputs(
    outputGrads: readonly number[],
    step: StepContext,
    needInputGrad: boolean,
    inputGrads: number[],
  ): void;
}

/** Layer's constructor, typed as LayerMembers. */
const LayerBase = Layer as unknown as abstract new (args: LayerArgs, className: string) => LayerMembers;

/**
 * A model as a layer of another model (Keras: `Model` subclasses `Layer`): `inner.apply(tensor)` in a Functional
 * model, or `new Sequential([inner, …])`. The outer graph has one node per call of the inner model; that node
 * runs the inner model's own graph forward and, in backward, its graph backward with the outer gradient, so the
 * inner layers' weights (the very same Variables the inner model holds) get their gradients and the outer
 * optimizer updates them. The inner model keeps working on its own: `inner.predict` sees the trained weights.
 *
 * The inner graph runs in the outer step's context (rows, training flag, generator), so Dropout and
 * BatchNormalization inside follow the outer fit; its buffers are placed by the outer model's activation plan.
 */
export abstract class ModelLayer extends LayerBase implements MultiOutputLayer {
  /** Every layer of the model (ModelBase's list; a Functional model's InputLayers included). */
  protected abstract stack: Layer[];
  /** The Input tensors and outputs of a Functional model; null for a Sequential one. */
  protected abstract readonly functional: { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } | null;
  protected abstract graph(): Graph;
  abstract get built(): boolean;
  abstract get inputShapes(): (number[] | null)[];
  abstract get outputShapes(): number[][];
  abstract build(inputShape?: readonly number[]): void;
  protected abstract disposed: boolean;
  private ownTrainable = true;
  /** Whether this model's graph was asked for the gradients of its inputs (sticky: see backwardNode). */
  private inputGradients = false;

  constructor(name: string) {
    super({ name }, "Model");
  }

  /** Keras's class names: "Sequential" for the stack, "Functional" for a graph model. */
  get className(): string {
    return this.functional ? "Functional" : "Sequential";
  }

  /**
   * Keras 3's Layer.trainable: setting it sets every layer of the model too (so `inner.trainable = false`
   * freezes all its layers, and `true` thaws them all, as in Keras).
   */
  get trainable(): boolean {
    return this.ownTrainable;
  }

  set trainable(value: boolean) {
    if (typeof value !== "boolean")
      throw new Error(`${this.name}: trainable must be true or false, got ${describeValue(value)}`);
    this.ownTrainable = value;
    for (const layer of this.stack) layer.trainable = value;
  }

  /** Every weight of the model's layers, in their order (Keras's model.weights). */
  get weights(): Variable[] {
    return this.stack.flatMap((layer) => layer.weights);
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.stack.flatMap((layer) => layer.trainableWeights) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.stack.flatMap((layer) => layer.nonTrainableWeights) : this.weights;
  }

  /** A model with Dropout, noise or BatchNormalization inside cannot be shared between calls either (see Layer). */
  get statefulTraining(): boolean {
    return this.stack.some((layer) => layer.statefulTraining);
  }

  /**
   * How many calls of this model a saved config counts before the outer model's: Keras 2 and tfjs give a model
   * made from its own Inputs a call of its own (node 0, its inputs to its outputs), so the outer model's first
   * call is node 1 there; a Sequential model without a declared input has no such node. (Keras 3 counts it for
   * Functional models only; the loader converts.)
   */
  get savedNodeOffset(): 0 | 1 {
    if (this.functional) return 1;
    const first = this.stack[0];
    return first && (first instanceof InputLayer || first.batchInputShape || this.declaresBuiltInput) ? 1 : 0;
  }

  /** A Sequential model applied as a layer, and built: its config declares that input shape (ModelBase.getConfig). */
  protected get declaresBuiltInput(): boolean {
    return !this.functional && this.built && this.inboundNodes.length > 0;
  }

  /** One input tensor per model input. */
  get inputCount(): number {
    const count = this.functional ? this.functional.inputs.length : 1;
    return count === 1 ? 1 : count;
  }

  override regularizationPenalty(): number {
    if (!this.trainable) return 0;
    let total = 0;
    for (const layer of this.stack) total += layer.regularizationPenalty();
    return total;
  }

  override activityPenalty(step: StepContext): number {
    let total = 0;
    for (const layer of this.stack) total += layer.activityPenalty(step);
    return total;
  }

  /** The output shape for one input shape, without building (each layer's computeOutputShape in turn). */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (this.built) return [...this.outputShapes[0]];
    return this.stack.reduce<number[]>((shape, layer) => layer.computeOutputShape(shape), [...inputShape]);
  }

  override outputShapeFor(inputShapes: readonly (readonly number[])[]): number[] {
    return this.computeOutputShape(inputShapes[0]);
  }

  override buildFor(inputShapes: readonly (readonly number[])[], fn: string): void {
    this.checkInputShapes(inputShapes, fn);
    if (!this.built) this.build(inputShapes[0]);
  }

  /**
   * Keras's `model(tensor)`: applies the whole model to symbolic tensors (one per model input) and returns its
   * output tensor, or one tensor per output (an array, in `outputs` order) for a model of several outputs:
   * `inner.apply<SymbolicTensor[]>(x)`. An unbuilt Sequential model is built for the tensor's shape; a built
   * model takes only the shapes it was built for. Applying it again shares its weights.
   */
  apply<Result extends SymbolicTensor | SymbolicTensor[] = SymbolicTensor>(
    inputs: SymbolicTensor | readonly SymbolicTensor[],
    _options: { initialize?: boolean } = {},
  ): Result {
    const fn = `${this.name}.apply`;
    if (this.disposed) throw new Error(`${fn}: the model "${this.name}" was disposed; create a new model`);
    const list = Array.isArray(inputs) ? [...(inputs as readonly SymbolicTensor[])] : [inputs as SymbolicTensor];
    list.forEach((tensor, i) => {
      if (!(tensor instanceof SymbolicTensor)) {
        throw new Error(
          `${fn}: inputs${list.length > 1 ? `[${i}]` : ""} must be the output of Input({ shape }) or of another layer's apply(), got ${describeValue(tensor)}`,
        );
      }
    });
    if (this.stack.length === 0) throw new Error(`${fn}: the model "${this.name}" has no layers`);
    const shapes = list.map((tensor) => tensor.shape);
    this.checkInputShapes(shapes, fn);
    const outputShape = this.computeOutputShape(shapes[0]);
    if (!this.built) this.build(shapes[0]);
    const layer = this as unknown as Layer;
    const call = new SymbolicTensor(layer, list, outputShape, this.inboundNodes.length);
    this.inboundNodes.push(call);
    if (this.outputShapes.length === 1) return call as Result;
    // NOTE: a call of a model of several outputs: one tensor per output, output 0 standing for the call.
    const rest = this.outputShapes
      .slice(1)
      .map((shape, k) => new SymbolicTensor(layer, list, shape, call.callIndex, k + 1, call));
    return [call, ...rest] as Result;
  }

  /** The input tensors' shapes must be the model's input shapes (one per input), before anything changes. */
  private checkInputShapes(shapes: readonly (readonly number[])[], fn: string): void {
    const expected = this.inputShapes;
    if (shapes.length !== expected.length) {
      throw new Error(`${fn}: the model "${this.name}" takes ${expected.length} input tensor(s), got ${shapes.length}`);
    }
    shapes.forEach((shape, i) => {
      const known = expected[i];
      if (known && known.join() !== shape.join()) {
        throw new Error(
          `${fn}: the model "${this.name}" ${this.built ? "is built" : "declares its input"} for input shape ${formatShape(known)}` +
            `${expected.length > 1 ? ` (input ${i})` : ""}, but the tensor given has shape ${formatShape(shape)}; expected the same shape`,
        );
      }
    });
  }

  override forward(input: number, step: StepContext): number {
    return this.forwardNode([input], step);
  }

  override backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    const grads = [0];
    this.backwardNode(outputGrad, step, needInputGrad, grads);
    return grads[0];
  }

  /** The graph this model runs, for the outer model's activation plan (which places its buffers too). @internal */
  nestedGraph(): Graph {
    return this.graph();
  }

  /** After forwardNode: the pointer of the model's output `k` (the graph reads outputs after the first here). */
  nodeOutput(k: number): number {
    return this.graph().output(k);
  }

  /**
   * Runs the model's graph in the outer step's context (rows, training flag, generator: Dropout and
   * BatchNormalization inside follow the outer fit); returns the pointer of its output.
   * NOTE: the outer context names no layer of this model in `fusedLoss`: the outer loss hands this model the
   * gradients of its outputs, never of a pre-activation, whatever this model's own compile chose.
   */
  override forwardNode(inputs: readonly number[], step: StepContext): number {
    const graph = this.graph();
    // NOTE: a layer of this model frozen or thawed since the last step changes which of its slots need gradients.
    graph.refreshTrainable();
    return graph.forward(inputs, step);
  }

  /**
   * Backpropagates the outer gradient through the model's graph: its weights get their gradients, and
   * `inputGrads` the gradients of its inputs when the outer graph needs them.
   * NOTE: once asked for its inputs' gradients, the graph keeps computing them (an extra dX of its first layers
   * when the model also trains alone) rather than re-planning its buffers at every switch.
   */
  override backwardNode(outputGrad: number, step: StepContext, needInputGrad: boolean, inputGrads: number[]): void {
    this.backwardOutputs(outputGradList(outputGrad), step, needInputGrad, inputGrads);
  }

  /** backwardNode from the gradients of every output of the model (one pointer each, in `outputs` order). */
  backwardOutputs(
    outputGrads: readonly number[],
    step: StepContext,
    needInputGrad: boolean,
    inputGrads: number[],
  ): void {
    const graph = this.graph();
    if (needInputGrad && !this.inputGradients) {
      this.inputGradients = true;
      graph.computeInputGradients();
    }
    graph.backward(outputGrads, step);
    for (let k = 0; k < inputGrads.length; k++) inputGrads[k] = needInputGrad ? graph.inputGradient(k) : 0;
  }
}

const gradList = [0];
/** A one-element list reused by every nested backward (allocation-free per step). */
function outputGradList(grad: number): readonly number[] {
  gradList[0] = grad;
  return gradList;
}

/** Every layer that sets a `trainable` flag in this layer's subtree: itself, and a model's layers, recursively. */
export function trainableLeaves(layer: Layer): Layer[] {
  if (!(layer instanceof ModelLayer)) return [layer];
  const stack = (layer as unknown as { stack: Layer[] }).stack;
  return [layer, ...stack.flatMap(trainableLeaves)];
}
