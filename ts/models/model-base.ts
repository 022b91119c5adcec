import { getEngine } from "../engine/engine.js";
import { InputLayer } from "../layers/input-layer.js";
import type { Layer } from "../layers/layer.js";
import { uniqueLayerName } from "../layers/names.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import type { Tensor } from "../tensor.js";
import { describeValue, formatShape } from "../utils/describe.js";
import type { FunctionalConfig } from "./functional-config.js";
import type { FunctionalStructure } from "./functional-structure.js";
import { functionalSupport } from "./functional-support.js";
import { Graph } from "./graph.js";
import { type ModelToken, nestedModelError, releaseLayer } from "./layer-owners.js";
import { type HeldResources, leakGuard } from "./leak-guard.js";
import { ModelLayer } from "./model-layer.js";
import { summaryText } from "./model-summary.js";
import { writeWeights } from "./model-weights.js";
import { type SequentialConfig, sequentialConfig } from "./sequential-config.js";
import { adoptLayers, appendLayer, buildStack } from "./sequential-stack.js";

export type { SequentialConfig } from "./sequential-config.js";

/**
 * A model's structure: a Sequential stack of layers, or a Functional graph from Input tensors to outputs.
 * Both run as a Graph of layer calls (Sequential's is linear). Structure (add, pop, build, weights, config)
 * lives here; inference and training live in the classes that extend it.
 */
export class ModelBase extends ModelLayer {
  /** Every layer; for a Functional model in the order the graph runs them, InputLayers first. */
  protected stack: Layer[] = [];
  protected disposed = false;
  /** The Input tensors and outputs of a Functional model; null for a Sequential one. */
  protected readonly functional: { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } | null = null;
  private runGraph: Graph | null = null;
  /** Stands for this model as the owner of its layers and its optimizer. */
  protected readonly ownerToken: ModelToken = { modelName: this.name };
  /** NOTE: must not reference the model, or the leak guard would keep it alive. */
  protected readonly held: HeldResources = { layers: this.stack, others: new Set(), owner: this.ownerToken };

  constructor(
    layers: readonly (Layer | ModelBase | SymbolicTensor)[] | FunctionalStructure = [],
    { name }: { name?: string } = {},
  ) {
    const kind = Array.isArray(layers) ? "Sequential" : "Model";
    if (name !== undefined && (typeof name !== "string" || name.length === 0)) {
      throw new Error(`${kind}: name must be a non-empty string, got ${String(name)}`);
    }
    if (!Array.isArray(layers) && (typeof layers !== "object" || layers === null)) {
      throw new Error(`Sequential: layers must be an array of layers, got ${typeof layers}`);
    }
    super(name ?? uniqueLayerName(Array.isArray(layers) ? "Sequential" : "functional"));
    if (!Array.isArray(layers)) {
      const adopted = functionalSupport("Model").adoptGraph(layers as FunctionalStructure, this.ownerToken);
      this.stack.push(...adopted.layers);
      this.runGraph = adopted.graph;
      this.held.others.add(adopted.graph);
      this.functional = { inputs: adopted.inputs, outputs: adopted.outputs };
      leakGuard?.register(this, this.held, this);
      return;
    }
    adoptLayers(this.stack, this.ownerToken, layers);
    leakGuard?.register(this, this.held, this);
  }

  /** The graph of layer calls the model runs (made once built; remade when a Sequential model changes). @internal */
  graph(): Graph {
    if (!this.runGraph) {
      this.assertBuilt("graph");
      this.runGraph = Graph.linear(this.stack, this.inputShape!);
      this.held.others.add(this.runGraph);
    }
    return this.runGraph;
  }

  /** The layers (as Keras's model.layers): a Sequential model's leave out the InputLayer, a Functional model's have them. */
  get layers(): Layer[] {
    if (this.functional) return [...this.stack];
    return this.stack.filter((layer) => !(layer instanceof InputLayer));
  }

  /** The layer of this name (Keras's get_layer); an error lists the names there are. */
  getLayer(name: string): Layer {
    const layer = this.stack.find((candidate) => candidate.name === name);
    if (!layer)
      throw new Error(
        `getLayer: the model has no layer named ${describeValue(name)}; its layers are ${this.layers.map((l) => l.name).join(", ")}`,
      );
    return layer;
  }

  /** A Functional model's Input tensors (a Sequential model's: none). */
  get inputs(): SymbolicTensor[] {
    return this.functional ? [...this.functional.inputs] : [];
  }

  /** A Functional model's output tensors. */
  get outputs(): SymbolicTensor[] {
    return this.functional ? [...this.functional.outputs] : [];
  }

  /** Names of the inputs (a Functional model's Input layer names; a Sequential model's first layer). */
  get inputNames(): string[] {
    return this.functional
      ? this.functional.inputs.map((tensor) => tensor.layer.name)
      : [this.stack[0]?.name ?? "input"];
  }

  /** Names of the outputs (the layers that compute them), as Keras's output_names. */
  get outputNames(): string[] {
    return this.functional
      ? this.functional.outputs.map((tensor) => tensor.layer.name)
      : [this.stack[this.stack.length - 1]?.name ?? "output"];
  }

  /** Per-sample shape of each input, when known. */
  get inputShapes(): (number[] | null)[] {
    return this.functional ? this.functional.inputs.map((tensor) => [...tensor.shape]) : [this.inputShape];
  }

  /** Per-sample shape of each output (built models). */
  get outputShapes(): number[][] {
    return this.functional ? this.functional.outputs.map((tensor) => [...tensor.shape]) : [this.outputShape];
  }

  get built(): boolean {
    if (this.functional) return true;
    return this.stack.length > 0 && this.stack.every((layer) => layer.built);
  }

  /** Per-sample input shape, when known (a Functional model's first input). */
  get inputShape(): number[] | null {
    if (this.functional) return [...this.functional.inputs[0].shape];
    const first = this.stack[0];
    if (!first) return null;
    if (first.built) return first.inputShape;
    return first.batchInputShape ? (first.batchInputShape.slice(1) as number[]) : null;
  }

  get outputShape(): number[] {
    this.assertBuilt("outputShape");
    if (this.functional) return [...this.functional.outputs[0].shape];
    return this.stack[this.stack.length - 1].outputShape;
  }

  /**
   * Appends a layer (Keras's add) and builds it when the model's output shape is known. The model then owns the
   * layer: a layer of another model (pop it there first) or a disposed one is refused.
   */
  add(layer: Layer | ModelBase): void {
    this.assertUsable("add");
    this.assertSequential("add");
    this.assertNotNested("add");
    if (layer === this) throw new Error(`add: the model "${this.name}" cannot be a layer of itself (a cycle)`);
    appendLayer(this.stack, this.ownerToken, layer as Layer, "add");
    // NOTE: the output shape may have changed: compiled training state and inference buffers are remade.
    this.onStructureChange();
  }

  /**
   * Removes and returns the last layer (Keras's pop). The layer keeps its weights and leaves the model's care:
   * add it to a model again, or free it with layer.dispose() — neither this model's dispose() nor its
   * garbage-collection safety net covers it any more.
   */
  pop(): Layer {
    this.assertUsable("pop");
    this.assertSequential("pop");
    this.assertNotNested("pop");
    if (this.layers.length === 0) throw new Error("pop: the model has no layers");
    const layer = this.stack.pop()!;
    releaseLayer(layer, this.ownerToken);
    this.onStructureChange();
    return layer;
  }

  /** Builds every layer for a per-sample input shape (Keras's build with the batch axis left out). */
  build(inputShape?: readonly number[]): void {
    this.assertUsable("build");
    if (this.functional) {
      if (
        inputShape &&
        this.functional.inputs.length === 1 &&
        inputShape.join() !== this.functional.inputs[0].shape.join()
      ) {
        throw new Error(
          `build: input shape ${formatShape(inputShape)} disagrees with the model's ${formatShape(this.functional.inputs[0].shape)}`,
        );
      }
      return;
    }
    buildStack(this.stack, inputShape, this.inputShape);
  }

  countParams(): number {
    return this.stack.reduce((total, layer) => total + layer.countParams(), 0);
  }

  /** JS copies of every weight, layer by layer (Keras's order). */
  getWeights(): Tensor[] {
    this.assertUsable("getWeights");
    return this.stack.flatMap((layer) => layer.getWeights());
  }

  /** Replaces every weight; checks all shapes and values before writing any. */
  setWeights(weights: readonly Tensor[]): void {
    this.assertUsable("setWeights");
    this.assertBuilt("setWeights");
    writeWeights(
      this.stack.flatMap((layer) => layer.weights),
      weights,
      "setWeights",
    );
    this.onWeightsChange();
  }

  /** Prints Keras's summary table (or hands each line to printFn); a Functional model's has "Connected to". */
  summary(printFn: (line: string) => void = console.log): void {
    for (const line of summaryText(this.name, this.stack, this.functional).split("\n")) printFn(line);
  }

  getConfig(): SequentialConfig | FunctionalConfig {
    if (this.functional)
      return functionalSupport("getConfig").functionalConfig(
        this.name,
        this.stack,
        this.functional.inputs,
        this.functional.outputs,
      );
    return sequentialConfig(this.name, this.stack, this.declaresBuiltInput ? this.inputShape : null);
  }

  /**
   * A model nested in another is a layer of it: its structure is fixed (the outer graph's shapes and weights
   * follow it), and the outer model frees it.
   */
  protected assertNotNested(fn: string): void {
    const error = nestedModelError(fn, this as unknown as Layer);
    if (error) throw error;
  }

  private assertSequential(fn: string): void {
    if (this.functional) {
      throw new Error(
        `${fn}: a Functional model's layers are fixed by its inputs and outputs; build a new Model({ inputs, outputs }) instead`,
      );
    }
  }

  /**
   * Frees every byte of wasm memory the model holds. The model cannot be used afterwards. A model nested in
   * another is freed by that model's dispose() (it is one of its layers); disposing it alone first is an error.
   */
  dispose(): void {
    if (this.disposed) return;
    this.assertNotNested("dispose");
    this.disposed = true;
    this.releaseMemory();
  }

  /** The freeing part of dispose; the training model defers it while fit or evaluate still runs. */
  protected releaseMemory(): void {
    leakGuard?.unregister(this);
    for (const layer of this.stack) {
      // NOTE: a nested model that other models still hold stays theirs; the last holder frees it (its
      // dispose() refuses while it is held, hence the release first).
      if (releaseLayer(layer, this.ownerToken)) layer.dispose();
    }
    // NOTE: the graph's gradient sums and shared-layer copies are wasm blocks too.
    if (this.runGraph) {
      this.runGraph.dispose();
      this.held.others.delete(this.runGraph);
      this.runGraph = null;
    }
  }

  protected assertUsable(method: string): void {
    if (this.disposed) throw new Error(`${method}: the model "${this.name}" was disposed`);
    void getEngine(); // NOTE: throws the clear "call await init() first" error before any work.
  }

  protected assertBuilt(method: string): void {
    if (!this.built) {
      throw new Error(
        `${method}: the model is not built yet; give the first layer an inputShape, or call build(), fit() or predict() first`,
      );
    }
  }

  /** Hooks for the training part: drop cached plans when layers change. */
  protected onStructureChange(): void {
    if (this.runGraph && !this.functional) {
      this.runGraph.dispose();
      this.held.others.delete(this.runGraph);
      this.runGraph = null;
    }
  }
  protected onWeightsChange(): void {}
}
