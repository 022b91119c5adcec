import { InputLayer } from "../layers/input-layer.js";
import { Layer } from "../layers/layer.js";
import { SymbolicTensor } from "../layers/symbolic-tensor.js";
import { describeValue, formatShape } from "../utils/describe.js";
import { claimLayer, layerHolders, type ModelToken, releaseLayer } from "./layer-owners.js";
import { ModelLayer } from "./model-layer.js";

/**
 * Appends a layer to a Sequential model's stack (its constructor and add): checks that the layer is usable, free
 * (a plain layer: held by no other model; a model: by any number) and fits after the last one, builds it when the
 * shape before it is known, then claims it for `owner`. A layer that does not fit leaves the stack as it was.
 */
export function appendLayer(stack: Layer[], owner: ModelToken, layer: Layer, fn: string): void {
  if (!(layer instanceof Layer)) {
    throw new Error(`${fn}: expected a layer (e.g. new layers.Dense(8)), got ${describeValue(layer)}`);
  }
  if (layer.disposed) {
    throw new Error(
      `${fn}: layer "${layer.name}" was disposed (by its model's dispose() or its own); create a new layer`,
    );
  }
  const holders = layerHolders(layer);
  if (holders.includes(owner)) throw new Error(`${fn}: layer "${layer.name}" is already in the model`);
  // NOTE: a model used as a layer may sit in several models (shared weights); a plain layer in one.
  const holder = layer instanceof ModelLayer ? undefined : holders[0];
  if (holder) {
    throw new Error(
      `${fn}: layer "${layer.name}" belongs to the model "${holder.modelName}"; a layer can be in one model at a time, ` +
        `so pop() it from that model first, or create a new layer`,
    );
  }
  if (layer instanceof ModelLayer && layer.built && layer.outputShapes.length > 1) {
    throw new Error(
      `${fn}: the model "${layer.name}" has ${layer.outputShapes.length} outputs, but every layer of a Sequential model ` +
        "must have one (as in Keras); apply it in a Functional model instead: model.apply<SymbolicTensor[]>(x)",
    );
  }
  if (stack.some((existing) => existing.name === layer.name)) {
    throw new Error(`${fn}: the model already has a layer named "${layer.name}"; layer names must be unique`);
  }
  if (layer instanceof InputLayer && stack.length > 0) {
    throw new Error(`${fn}: an InputLayer can only be the first layer`);
  }
  if (stack.length > 0 && layer.batchInputShape && !(stack[0] instanceof InputLayer) && !stack[0].batchInputShape) {
    throw new Error(`${fn}: only the first layer may declare an input shape; "${layer.name}" has one`);
  }
  const previous = stack[stack.length - 1];
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
  stack.push(layer);
  claimLayer(layer, owner);
}

function firstInputShape(layer: Layer): number[] | null {
  return layer.batchInputShape ? (layer.batchInputShape.slice(1) as number[]) : null;
}

/**
 * Fills a new Sequential model's stack (its constructor) with `layers`, each through appendLayer. Keras's
 * Sequential([keras.Input(shape), …]) takes the Input tensor for its InputLayer. If one does not fit, the layers
 * go back as they came: released, and unbuilt again if built here (their memory freed), so that a constructor
 * that throws leaves no one holding unreachable memory.
 */
export function adoptLayers(stack: Layer[], owner: ModelToken, layers: readonly unknown[]): void {
  const builtHere: Layer[] = [];
  try {
    for (const item of layers) {
      const layer = (item instanceof SymbolicTensor && item.inputs.length === 0 ? item.layer : item) as Layer;
      const wasBuilt = layer instanceof Layer && layer.built;
      appendLayer(stack, owner, layer, "Sequential");
      if (!wasBuilt && layer.built) builtHere.push(layer);
    }
  } catch (error) {
    for (const layer of stack) releaseLayer(layer, owner);
    for (const layer of builtHere) layer.discardBuild();
    stack.length = 0;
    throw error;
  }
}

/**
 * Builds a Sequential stack for a per-sample input shape (build()'s argument, else `declared`, the shape the
 * first layer declares), each layer for the shape the one before it gives.
 */
export function buildStack(stack: Layer[], inputShape: readonly number[] | undefined, declared: number[] | null): void {
  if (stack.length === 0) throw new Error("build: the model has no layers");
  let shape = inputShape ? [...inputShape] : declared;
  if (!shape) {
    throw new Error(
      "build: the input shape is unknown; give the first layer an inputShape, add layers.Input({ shape }), or call build([features])",
    );
  }
  if (inputShape && declared && declared.join() !== inputShape.join()) {
    throw new Error(
      `build: input shape [${inputShape.join(", ")}] disagrees with the model's [${declared.join(", ")}]`,
    );
  }
  for (const layer of stack) {
    layer.build(shape);
    shape = layer.outputShape;
  }
}
