import { getEngine } from "../engine/engine.js";

/**
 * A wasm block of `rows × width` floats that grows to the largest batch it has seen and is then reused:
 * a smaller batch (the last one of an epoch, a single-sample predict) uses a prefix of it.
 */
export class RowBuffer {
  private blockPtr = 0;
  private capacityRows = 0;

  constructor(readonly width: number) {}

  /** The block, big enough for `rows` rows. Contents are not kept when it has to grow. */
  ensure(rows: number): number {
    if (rows > this.capacityRows) {
      // NOTE: forget the old block before allocating: if the allocation throws (out of memory), the buffer is
      // empty (capacity 0) and the next call allocates again, instead of handing out pointer 0.
      this.dispose();
      this.blockPtr = getEngine().allocF32(rows * this.width);
      this.capacityRows = rows;
    }
    return this.blockPtr;
  }

  get ptr(): number {
    return this.blockPtr;
  }

  dispose(): void {
    if (this.blockPtr) getEngine().free(this.blockPtr);
    this.blockPtr = 0;
    this.capacityRows = 0;
  }
}
