import { getEngine } from "../engine/engine.js";
import type { Constraint } from "../regularizers/constraints.js";
import type { Regularizer } from "../regularizers/regularizers.js";
import { Tensor } from "../tensor.js";
import { VariableBlock } from "./variable-block.js";

/** Bumped whenever a variable moves to another block: an optimizer's cached update runs are stale then. */
let layoutVersion = 0;

/** How many times variables moved between blocks (for caches keyed on where variables live). */
export function variableLayoutVersion(): number {
  return layoutVersion;
}

/**
 * A weight that lives in WebAssembly memory: its values and, once the model is compiled for training, its
 * gradient. Layers create them in build() (each in a block of its own); compile's memory plan moves all of a
 * model's weights into one block at fixed offsets; the model frees them in dispose().
 * NOTE: `ptr` and `grad` are read at each use, never kept: they change when the plan moves the variable.
 */
export class Variable {
  readonly size: number;
  readonly shape: readonly number[];
  private home: VariableBlock;
  /** Floats from the start of `home`. */
  private at = 0;
  private disposed = false;
  private writes = 0;

  constructor(
    /** Keras-style path, e.g. "dense_1/kernel". */
    readonly name: string,
    shape: readonly number[],
    readonly trainable: boolean,
    readonly regularizer: Regularizer | null = null,
    readonly constraint: Constraint | null = null,
  ) {
    this.shape = Object.freeze([...shape]);
    this.size = shape.reduce((product, dim) => product * dim, 1);
    this.home = new VariableBlock(this.size);
    this.home.attach();
  }

  /** Byte offset of the values in wasm memory. */
  get ptr(): number {
    return this.home.ptr + this.at * 4;
  }

  /** Byte offset of the gradient (same layout as the values, allocated with the block's on first use). */
  get grad(): number {
    return this.home.grad + this.at * 4;
  }

  /** The block the variable lives in. */
  get block(): VariableBlock {
    return this.home;
  }

  /** Floats from the start of its block. */
  get offset(): number {
    return this.at;
  }

  /**
   * Moves the values to `offset` floats into `block` (the memory plan does this); the old block is released
   * (freed when it was the last variable there). The gradient is not moved: the next backward writes it.
   */
  moveTo(block: VariableBlock, offset: number): void {
    if (this.disposed) throw new Error(`Variable ${this.name}: moveTo after dispose`);
    if (block === this.home && offset === this.at) return;
    if (!Number.isInteger(offset) || offset < 0 || offset + this.size > block.size) {
      throw new Error(
        `Variable ${this.name}: moveTo offset must be an integer in [0, ${block.size - this.size}], got ${String(offset)}`,
      );
    }
    const f32 = getEngine().f32;
    const source = this.ptr >>> 2;
    f32.copyWithin((block.ptr >>> 2) + offset, source, source + this.size);
    block.attach();
    this.home.detach();
    this.home = block;
    this.at = offset;
    layoutVersion++;
  }

  /** A JS copy of the current values. */
  read(): Tensor {
    return new Tensor(getEngine().read(this.ptr, this.size), this.shape);
  }

  write(values: Float32Array): void {
    getEngine().write(this.ptr, values);
    this.writes++;
  }

  /**
   * How many times write() has set the values: a layer that derives something from a weight the optimizer
   * never updates (Normalization's divisor from its variance) recomputes it only when this changes.
   */
  get version(): number {
    return this.writes;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.home.detach();
  }
}
