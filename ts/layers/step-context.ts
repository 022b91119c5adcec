import type { RandomGenerator } from "../engine/random.js";

/**
 * What a layer's forward and backward know about the step they run in. The model owns one object per graph and
 * refills it each step (no allocation on the per-step path).
 */
export interface StepContext {
  /** Samples in this batch. */
  rows: number;
  /** Training forward (Dropout masks, batch statistics) or inference. */
  training: boolean;
  /**
   * The generator of this fit (fit's `seed`), or null for the process-wide one. Noise layers without a seed
   * of their own draw from it, so that fit's seed makes them reproducible.
   */
  generator: RandomGenerator | null;
  /**
   * The output layers whose backward gets, from a fused loss kernel, the gradient of their pre-activation
   * instead of their output's (see Layer.fusedLossPaths). Set once per compile by the compiled training on its
   * model's own context; absent (none) in any other step, such as a model nested in another, whose outer loss
   * hands it the gradient of its output.
   */
  fusedLoss?: ReadonlyMap<object, FusedLossPath>;
}

/** A fresh context (inference on 0 rows, process-wide generator). */
export function stepContext(): StepContext {
  return { rows: 0, training: false, generator: null };
}

/**
 * A loss kernel that takes the gradient with respect to a layer's pre-activation directly. Only one today:
 * softmax followed by (sparse) categorical cross-entropy, fused in one kernel.
 */
export type FusedLossPath = "softmax_cross_entropy";
