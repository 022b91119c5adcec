import type { Optimizer } from "../optimizers/index.js";

/**
 * Which model trains with an optimizer instance (its slots hold that model's state). Keras 3 refuses to apply
 * one optimizer to a second model's variables; here compile says so, before a dispose of one model could
 * free the slots the other still uses. The value names the model without referencing it.
 */
const optimizerOwners = new WeakMap<Optimizer, { modelName: string }>();

/** The model an optimizer instance trains, if any (its owner token). */
export function optimizerOwner(optimizer: Optimizer): { modelName: string } | undefined {
  return optimizerOwners.get(optimizer);
}

/** Frees an optimizer's slots and lets another model use the instance. */
export class OptimizerLease {
  constructor(
    readonly optimizer: Optimizer,
    readonly owner: { modelName: string },
  ) {
    optimizerOwners.set(optimizer, owner);
  }

  dispose(): void {
    this.optimizer.dispose();
    if (optimizerOwners.get(this.optimizer) === this.owner) optimizerOwners.delete(this.optimizer);
  }
}
