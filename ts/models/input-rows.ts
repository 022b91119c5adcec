import { getEngine } from "../engine/engine.js";
import { copySegments } from "./batch-buffers.js";

/**
 * The wasm blocks predict copies one batch of samples into, one per model input, each grown to the largest batch
 * seen. NOTE: predict's own, not fit's BatchBuffers (targets, weights, shuffled order): an inference app carries
 * only this. Not RowBuffers either: those are layers' declared buffers, placed by the activation plan, and a
 * RowBuffer growing outside a plan makes every plan re-plan.
 */
export class InputRows {
  /** Pointer of each input's block (valid after load). */
  readonly ptrs: number[];
  private capacity = 0;

  /** `widths`: values per sample of each input, side by side in a row of the data predict loads from. */
  constructor(private readonly widths: readonly number[]) {
    this.ptrs = widths.map(() => 0);
  }

  /** Copies samples start..end of `x` (rows of `rowWidth` values) into the blocks. */
  load(x: Float32Array, rowWidth: number, start: number, end: number): void {
    if (end - start > this.capacity) this.grow(end - start);
    const f32 = getEngine().f32;
    if (this.ptrs.length === 1) f32.set(x.subarray(start * rowWidth, end * rowWidth), this.ptrs[0] >>> 2);
    else copySegments(f32, this.ptrs, x, rowWidth, this.widths, null, start, end);
  }

  dispose(): void {
    const engine = getEngine();
    for (let k = 0; k < this.ptrs.length; k++) {
      if (this.ptrs[k]) engine.free(this.ptrs[k]);
      this.ptrs[k] = 0;
    }
    this.capacity = 0;
  }

  private grow(rows: number): void {
    // NOTE: the old blocks go first: if an allocation throws (out of memory), capacity stays 0 and the next
    // call allocates again instead of handing out a freed pointer.
    this.dispose();
    const engine = getEngine();
    for (let k = 0; k < this.widths.length; k++) this.ptrs[k] = engine.allocF32(rows * this.widths[k]);
    this.capacity = rows;
  }
}
