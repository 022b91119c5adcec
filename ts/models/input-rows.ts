import { getEngine } from "../engine/engine.js";
import { RowBuffer } from "../layers/row-buffer.js";
import { copySegments } from "./batch-buffers.js";

/**
 * The wasm blocks predict copies one batch of samples into, one per model input, each grown to the largest batch
 * seen. NOTE: predict's own, not fit's BatchBuffers (targets, weights, shuffled order): an inference app carries
 * only this.
 */
export class InputRows {
  private readonly buffers: RowBuffer[];
  /** Pointer of each input's block (valid after load). */
  readonly ptrs: number[];

  /** `widths`: values per sample of each input, side by side in a row of the data predict loads from. */
  constructor(private readonly widths: readonly number[]) {
    this.buffers = widths.map((width) => new RowBuffer(width));
    this.ptrs = widths.map(() => 0);
  }

  /** Copies samples start..end of `x` (rows of `rowWidth` values) into the blocks. */
  load(x: Float32Array, rowWidth: number, start: number, end: number): void {
    for (let k = 0; k < this.buffers.length; k++) this.ptrs[k] = this.buffers[k].ensure(end - start);
    const f32 = getEngine().f32;
    if (this.buffers.length === 1) f32.set(x.subarray(start * rowWidth, end * rowWidth), this.ptrs[0] >>> 2);
    else copySegments(f32, this.ptrs, x, rowWidth, this.widths, null, start, end);
  }

  dispose(): void {
    for (const buffer of this.buffers) buffer.dispose();
  }
}
