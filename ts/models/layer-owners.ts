import type { Layer } from "../layers/layer.js";

/** Names the model a layer belongs to, without referencing the model (the leak guard must not keep it alive). */
export interface ModelToken {
  readonly modelName: string;
}

/**
 * Which models hold a layer. A plain layer belongs to one model at a time: that model builds it, trains it and
 * frees it in dispose(), so sharing it would let one model free what another still uses; pop() releases it.
 * A model used as a layer may be held by several outer models (Keras applies one model in several others,
 * sharing its weights): each holds a claim, and the last holder to let go frees it (reference counting, as
 * tfjs's Layer.dispose counts its users).
 */
const layerOwners = new WeakMap<Layer, ModelToken[]>();

/** The first model that holds `layer`, if any. */
export function layerOwner(layer: Layer): ModelToken | undefined {
  return layerOwners.get(layer)?.[0];
}

/** Every model that holds `layer`, in the order they took it. */
export function layerHolders(layer: Layer): readonly ModelToken[] {
  return layerOwners.get(layer) ?? [];
}

/** Marks `layer` as held by the model `owner` stands for (once per model). */
export function claimLayer(layer: Layer, owner: ModelToken): void {
  const holders = layerOwners.get(layer);
  if (!holders) layerOwners.set(layer, [owner]);
  else if (!holders.includes(owner)) holders.push(owner);
}

/**
 * Lets `layer` go from the model `owner` stands for (pop, its dispose, a model constructor that failed).
 * Returns true when no model holds it any more: the caller that frees its model's layers frees this one then,
 * and leaves it to the other holders otherwise.
 */
export function releaseLayer(layer: Layer, owner: ModelToken): boolean {
  const holders = layerOwners.get(layer);
  if (!holders) return true;
  const at = holders.indexOf(owner);
  if (at >= 0) holders.splice(at, 1);
  if (holders.length > 0) return false;
  layerOwners.delete(layer);
  return true;
}

/**
 * The error for a change to a model while other models hold it as a layer (add, pop, dispose), naming them;
 * null when no model holds it.
 */
export function nestedModelError(fn: string, model: Layer): Error | null {
  const holders = layerHolders(model);
  if (holders.length === 0) return null;
  const names = holders.map((holder) => `"${holder.modelName}"`).join(", ");
  const several = holders.length > 1;
  return new Error(
    `${fn}: the model "${model.name}" is a layer of the model${several ? "s" : ""} ${names}; ` +
      (fn !== "dispose"
        ? "change it before nesting it, or build a new model"
        : several
          ? "dispose those instead: the last of them to be disposed frees it"
          : `dispose ${names} instead, which frees it too`),
  );
}
