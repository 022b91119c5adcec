// Random permutations for shuffling sample order in fit(). See random-core.ts for the generator.
import { boundedBelow, loadState, saveState } from "./random-core";

/**
 * outI32 ← a uniformly random permutation of 0 … count-1: Fisher–Yates (Durstenfeld's in-place form,
 * Knuth TAOCP vol. 2 §3.4.2, Algorithm P) from the top down, each index j drawn without bias from [0, i]
 * by boundedBelow (Lemire's method).
 */
export function randomPermutation(state: usize, outI32: usize, count: i32): void {
  for (let i = 0; i < count; i++) store<i32>(outI32 + (<usize>i << 2), i);
  loadState(state);
  for (let i = count - 1; i > 0; i--) {
    const j = <i32>boundedBelow(<u32>(i + 1));
    const pi = outI32 + (<usize>i << 2), pj = outI32 + (<usize>j << 2);
    const held = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, held);
  }
  saveState(state);
}
