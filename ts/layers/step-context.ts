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
