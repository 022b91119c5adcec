import type { Layer } from "../layers/layer.js";

/** Names the model a layer belongs to, without referencing the model (the leak guard must not keep it alive). */
export interface ModelToken {
  readonly modelName: string;
}

/**
 * Which model holds a layer. A layer belongs to one model at a time: that model builds it, trains it and frees
 * it in dispose(), so sharing it would let one model free what another still uses. pop() releases it.
 */
const layerOwners = new WeakMap<Layer, ModelToken>();

/** The model that holds `layer`, if any. */
export function layerOwner(layer: Layer): ModelToken | undefined {
  return layerOwners.get(layer);
}

/** Marks `layer` as held by the model `owner` stands for. */
export function claimLayer(layer: Layer, owner: ModelToken): void {
  layerOwners.set(layer, owner);
}

/** Lets `layer` go (pop, or a model constructor that failed): another model may take it. */
export function releaseLayer(layer: Layer): void {
  layerOwners.delete(layer);
}
