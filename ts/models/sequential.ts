import { getEngine } from "../engine/engine.js";
import { InputLayer } from "../layers/input-layer.js";
import { Layer } from "../layers/layer.js";
import { layerFromConfig } from "../layers/registry.js";
import { uniqueLayerName } from "../layers/names.js";
import { Tensor } from "../tensor.js";
import { describeValue, formatShape } from "../utils/describe.js";
import { formatSummary } from "./summary-format.js";

export interface SequentialConfig {
  name: string;
  layers: { className: string; config: Record<string, unknown> }[];
}

/**
 * Everything of a model that holds wasm memory, reachable without the model itself: its layers, and what the
 * training part adds (trainer buffers, optimizer slots, inference buffers).
 */
export interface HeldResources {
  readonly layers: Layer[];
  readonly others: Set<{ dispose(): void }>;
}

/**
 * Frees a model's wasm memory when user code drops it without dispose().
 * NOTE: Cloudflare Workers (workerd) have no FinalizationRegistry; there the net is absent and dispose() is
 * the only way — a module that threw at load time would be worse.
 */
const leakGuard =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<HeldResources>((held) => {
        for (const layer of held.layers) layer.dispose();
        for (const other of held.others) other.dispose();
        held.others.clear();
      })
    : null;

/** Names the model a layer belongs to, without referencing the model (the leak guard must not keep it alive). */
export interface ModelToken {
  readonly modelName: string;
}

/**
 * Which model holds a layer. A layer belongs to one model at a time: that model builds it, trains it and frees
 * it in dispose(), so sharing it would let one model free what another still uses. pop() releases it.
 */
const layerOwners = new WeakMap<Layer, ModelToken>();

/**
 * Keras's Sequential: a stack of layers. Structure (add, pop, build, weights, config) lives here; training and
 * inference live in the Model class that extends it.
 */
export class SequentialBase {
  readonly name: string;
  protected stack: Layer[] = [];
  protected disposed = false;
  /** NOTE: must not reference the model, or the leak guard would keep it alive. */
  protected readonly held: HeldResources = { layers: this.stack, others: new Set() };
  /** Stands for this model as the owner of its layers and its optimizer. */
  protected readonly ownerToken: ModelToken;

  constructor(layers: readonly Layer[] = [], { name }: { name?: string } = {}) {
    if (name !== undefined && (typeof name !== "string" || name.length === 0)) {
      throw new Error(`Sequential: name must be a non-empty string, got ${String(name)}`);
    }
    if (!Array.isArray(layers)) throw new Error(`Sequential: layers must be an array of layers, got ${typeof layers}`);
    this.name = name ?? uniqueLayerName("Sequential");
    this.ownerToken = { modelName: this.name };
    const builtHere: Layer[] = [];
    try {
      for (const layer of layers) {
        const wasBuilt = layer instanceof Layer && layer.built;
        this.addLayer(layer, "Sequential");
        if (!wasBuilt && layer.built) builtHere.push(layer);
      }
    } catch (error) {
      // A constructor that throws leaves no model, so hand the layers back as they came: released, and
      // unbuilt again if built here (their memory freed), so no one is left holding unreachable memory.
      for (const layer of this.stack) layerOwners.delete(layer);
      for (const layer of builtHere) layer.discardBuild();
      this.stack.length = 0;
      throw error;
    }
    leakGuard?.register(this, this.held, this);
  }

  /** The layers, without the InputLayer (as Keras's model.layers). */
  get layers(): Layer[] {
    return this.stack.filter((layer) => !(layer instanceof InputLayer));
  }

  get built(): boolean {
    return this.stack.length > 0 && this.stack.every((layer) => layer.built);
  }

  /** Per-sample input shape, when known. */
  get inputShape(): number[] | null {
    const first = this.stack[0];
    if (!first) return null;
    if (first.built) return first.inputShape;
    return first.batchInputShape ? (first.batchInputShape.slice(1) as number[]) : null;
  }

  get outputShape(): number[] {
    this.assertBuilt("outputShape");
    return this.stack[this.stack.length - 1].outputShape;
  }

  /**
   * Appends a layer (Keras's add) and builds it when the model's output shape is known. The model then owns the
   * layer: a layer of another model (pop it there first) or a disposed one is refused.
   */
  add(layer: Layer): void {
    this.assertUsable("add");
    this.addLayer(layer, "add");
    // NOTE: the output shape may have changed: compiled training state and inference buffers are remade.
    this.onStructureChange();
  }

  private addLayer(layer: Layer, fn: string): void {
    if (!(layer instanceof Layer)) {
      throw new Error(`${fn}: expected a layer (e.g. new layers.Dense(8)), got ${describe(layer)}`);
    }
    if (layer.disposed) {
      throw new Error(`${fn}: layer "${layer.name}" was disposed (by its model's dispose() or its own); create a new layer`);
    }
    const owner = layerOwners.get(layer);
    if (owner === this.ownerToken) throw new Error(`${fn}: layer "${layer.name}" is already in the model`);
    if (owner) {
      throw new Error(
        `${fn}: layer "${layer.name}" belongs to the model "${owner.modelName}"; a layer can be in one model at a time, ` +
          `so pop() it from that model first, or create a new layer`,
      );
    }
    if (this.stack.some((existing) => existing.name === layer.name)) {
      throw new Error(`${fn}: the model already has a layer named "${layer.name}"; layer names must be unique`);
    }
    if (layer instanceof InputLayer && this.stack.length > 0) {
      throw new Error(`${fn}: an InputLayer can only be the first layer`);
    }
    if (this.stack.length > 0 && layer.batchInputShape && !(this.stack[0] instanceof InputLayer) && !this.stack[0].batchInputShape) {
      throw new Error(`${fn}: only the first layer may declare an input shape; "${layer.name}" has one`);
    }
    const previous = this.stack[this.stack.length - 1];
    const inputShape = previous ? (previous.built ? previous.outputShape : null) : firstInputShape(layer);
    const declared = firstInputShape(layer);
    if (previous && declared && inputShape && declared.join() !== inputShape.join()) {
      throw new Error(
        `${fn}: layer "${layer.name}" declares input shape ${formatShape(declared)} but the model's output before it ` +
          `has shape ${formatShape(inputShape)}; expected the same shape, or no inputShape on a layer after the first`,
      );
    }
    if (inputShape && layer.built && layer.inputShape.join() !== inputShape.join()) {
      throw new Error(
        `${fn}: layer "${layer.name}" is built for input shape ${formatShape(layer.inputShape)} but the model's output ` +
          `before it has shape ${formatShape(inputShape)}; a built layer keeps the shapes of its weights, so create a new layer`,
      );
    }
    // NOTE: build before pushing, so a layer that does not fit the model leaves the model as it was.
    if (inputShape) layer.build(inputShape);
    this.stack.push(layer);
    layerOwners.set(layer, this.ownerToken);
  }

  /**
   * Removes and returns the last layer (Keras's pop). The layer keeps its weights and leaves the model's care:
   * add it to a model again, or free it with layer.dispose() — neither this model's dispose() nor its
   * garbage-collection safety net covers it any more.
   */
  pop(): Layer {
    this.assertUsable("pop");
    if (this.layers.length === 0) throw new Error("pop: the model has no layers");
    const layer = this.stack.pop()!;
    layerOwners.delete(layer);
    this.onStructureChange();
    return layer;
  }

  /** Builds every layer for a per-sample input shape (Keras's build with the batch axis left out). */
  build(inputShape?: readonly number[]): void {
    this.assertUsable("build");
    if (this.stack.length === 0) throw new Error("build: the model has no layers");
    let shape = inputShape ? [...inputShape] : this.inputShape;
    if (!shape) {
      throw new Error("build: the input shape is unknown; give the first layer an inputShape, add layers.Input({ shape }), or call build([features])");
    }
    const declared = this.inputShape;
    if (inputShape && declared && declared.join() !== inputShape.join()) {
      throw new Error(`build: input shape [${inputShape.join(", ")}] disagrees with the model's [${declared.join(", ")}]`);
    }
    for (const layer of this.stack) {
      layer.build(shape);
      shape = layer.outputShape;
    }
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
    const variables = this.stack.flatMap((layer) => layer.weights);
    if (!Array.isArray(weights) || weights.length !== variables.length) {
      throw new Error(`setWeights: expected ${variables.length} tensors (${variables.map((v) => `[${v.shape.join(", ")}]`).join(", ")}), got ${Array.isArray(weights) ? weights.length : describe(weights)}`);
    }
    weights.forEach((weight, i) => {
      const variable = variables[i];
      if (!(weight instanceof Tensor) || weight.shape.join() !== variable.shape.join()) {
        throw new Error(`setWeights: weight ${i} (${variable.name}) must have shape [${variable.shape.join(", ")}], got ${weight instanceof Tensor ? `[${weight.shape.join(", ")}]` : describe(weight)}`);
      }
      const bad = weight.data.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) throw new Error(`setWeights: weight ${i} (${variable.name}) has a non-finite value ${weight.data[bad]} at index ${bad}`);
    });
    weights.forEach((weight, i) => variables[i].write(weight.data));
    this.onWeightsChange();
  }

  /** Prints Keras's summary table (or hands each line to printFn). */
  summary(printFn: (line: string) => void = console.log): void {
    const rows = this.stack
      .filter((layer) => !(layer instanceof InputLayer))
      .map((layer) => ({
        name: layer.name,
        type: layer.className,
        outputShape: layer.built ? `(None, ${layer.outputShape.join(", ")})` : "?",
        params: layer.built ? layer.countParams() : 0,
      }));
    const trainable = this.stack.reduce((total, layer) => total + layer.trainableWeights.reduce((sum, v) => sum + v.size, 0), 0);
    const total = this.countParams();
    for (const line of formatSummary(this.name, rows, { total, trainable, nonTrainable: total - trainable }).split("\n")) printFn(line);
  }

  getConfig(): SequentialConfig {
    return {
      name: this.name,
      layers: this.stack.map((layer) => ({ className: layer.className, config: layer.getConfig() })),
    };
  }

  /** Frees every byte of wasm memory the model holds. The model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.releaseMemory();
  }

  /** The freeing part of dispose; the training model defers it while fit or evaluate still runs. */
  protected releaseMemory(): void {
    leakGuard?.unregister(this);
    for (const layer of this.stack) layer.dispose();
  }

  protected static layersFromConfig(config: SequentialConfig, argument: string): Layer[] {
    if (!config || !Array.isArray(config.layers)) {
      throw new Error(`${argument}: expected { name, layers: [{ className, config }, …] }, got ${describe(config)}`);
    }
    return config.layers.map((entry, i) => layerFromConfig(entry, `${argument}: layer ${i}`));
  }

  protected assertUsable(method: string): void {
    if (this.disposed) throw new Error(`${method}: the model "${this.name}" was disposed`);
    void getEngine(); // NOTE: throws the clear "call await init() first" error before any work.
  }

  protected assertBuilt(method: string): void {
    if (!this.built) {
      throw new Error(`${method}: the model is not built yet; give the first layer an inputShape, or call build(), fit() or predict() first`);
    }
  }

  /** Hooks for the training part: drop cached plans when layers change. */
  protected onStructureChange(): void {}
  protected onWeightsChange(): void {}
}

function firstInputShape(layer: Layer): number[] | null {
  return layer.batchInputShape ? (layer.batchInputShape.slice(1) as number[]) : null;
}

export function describe(value: unknown): string {
  return describeValue(value);
}
