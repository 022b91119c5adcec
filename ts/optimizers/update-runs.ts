import type { Variable } from "../layers/variable.js";
import { alignedSize } from "../layers/variable-block.js";
import type { SlotStore } from "./slot-store.js";

/**
 * One optimizer kernel call: `size` floats of weights, gradients and slots from these pointers on. Every update
 * rule is elementwise (each element sees only its own weight, gradient and slots, in the same operations
 * wherever it sits in the call), so one call over neighbouring variables gives the bits of one call each.
 */
export interface UpdateRun {
  readonly param: number;
  readonly grad: number;
  readonly slots: readonly number[];
  readonly size: number;
  /** Whether decoupled weight decay applies (Keras's exclude_from_weight_decay breaks a run). */
  readonly decay: boolean;
}

/**
 * The variables, in order, as runs of neighbours: a run goes on while the next variable lives in the same block
 * right after the previous one's aligned span and takes the same weight decay. A compiled model's trainable
 * weights are one block in that order (ts/training/memory-plan.ts), so an update is one call; a frozen layer in
 * the middle, or variables of their own blocks, make more.
 */
export function updateRuns(
  variables: readonly Variable[],
  store: SlotStore,
  decays: (variable: Variable) => boolean,
): UpdateRun[] {
  const runs: UpdateRun[] = [];
  let first: Variable | null = null;
  let last: Variable | null = null;
  let decay = false;
  const close = () => {
    if (!first || !last) return;
    const offsetBytes = first.offset * 4;
    runs.push({
      param: first.ptr,
      grad: first.grad,
      slots: store.basesOf(first).map((base) => base + offsetBytes),
      size: last.offset + last.size - first.offset,
      decay,
    });
  };
  for (const variable of variables) {
    store.basesOf(variable); // makes (or moves) its slots before any pointer is taken
    const variableDecay = decays(variable);
    const follows =
      last !== null &&
      variable.block === last.block &&
      variable.offset === last.offset + alignedSize(last.size) &&
      variableDecay === decay;
    if (!follows) {
      close();
      first = variable;
      decay = variableDecay;
    }
    last = variable;
  }
  close();
  return runs;
}
