import type { Variable } from "../layers/variable.js";
import { alignedSize, VariableBlock } from "../layers/variable-block.js";

/**
 * One memory plan per compiled model: every weight of the model in one block at fixed offsets, trainable
 * weights first, each on a 64-byte boundary; the gradients (VariableBlock.grad) and every optimizer slot
 * (optimizers/slot-store.ts) are blocks of the same layout (karpathy/llm.c's parameters / grads / m / v idea).
 *
 *   offset:     0        784·128   +128      +128·64  …   non-trainable (moving statistics …)
 *   values:    [ kernel | bias    | kernel  | bias | … |  moving_mean | moving_variance ]
 *   gradients: [   same offsets                                                          ]
 *   m, v, …:   [   same offsets                                                          ]
 *
 * So the optimizer updates the trainable weights in one kernel call per step (a frozen layer in the middle
 * splits it), per-variable work (clipnorm, constraints, regularizers) uses each variable's offset, and a
 * model's dispose frees a handful of blocks: values, gradients, one per slot.
 *
 * NOTE: the trainable part is ordered by each variable's own flag (a kernel stays in it when its layer is
 * frozen), so toggling `trainable` needs no new plan: the optimizer skips the frozen variables' spans.
 */
export class MemoryPlan {
  /** The planned variables in block order. */
  readonly variables: readonly Variable[];
  /** Where each variable starts, in floats. */
  readonly offsets: ReadonlyMap<Variable, number>;
  /** Floats in the block (with the alignment padding). */
  readonly size: number;
  readonly block: VariableBlock | null;

  /**
   * Lays out `variables` (a model's weights, each once) and moves them into one new block, unless they
   * already sit in one block at exactly these offsets (a re-compile of the same model keeps its block).
   */
  constructor(variables: readonly Variable[]) {
    const distinct = [...new Set(variables)];
    this.variables = [
      ...distinct.filter((variable) => variable.trainable),
      ...distinct.filter((variable) => !variable.trainable),
    ];
    const offsets = new Map<Variable, number>();
    let size = 0;
    for (const variable of this.variables) {
      offsets.set(variable, size);
      size += alignedSize(variable.size);
    }
    this.offsets = offsets;
    this.size = size;
    if (this.variables.length === 0) {
      this.block = null;
      return;
    }
    const current = this.variables[0].block;
    const inPlace =
      current.size === size &&
      this.variables.every((variable) => variable.block === current && variable.offset === offsets.get(variable));
    if (inPlace) {
      this.block = current;
      return;
    }
    const block = new VariableBlock(size);
    for (const variable of this.variables) variable.moveTo(block, offsets.get(variable)!);
    this.block = block;
  }
}
